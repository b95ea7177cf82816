package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} kube-apiserver returns when a client such as
 * {@code kubectl get} asks for one, with the columns and cells of kube's own printers
 * ({@code pkg/printers/internalversion}) so kubectl shows what it shows against a real cluster.
 *
 * <p>Like kube-apiserver, every row carries the wide ({@code -o wide}, priority 1) cells too; kubectl hides
 * those columns unless asked. Kinds without a printer get kube's default table: Name and Created At.
 */
public final class Tables {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final Map<String, Printer> PRINTERS = Map.ofEntries(
            Map.entry("Pod", new PodPrinter()),
            Map.entry("Node", new NodePrinter()),
            Map.entry("Namespace", SimplePrinters.namespace()),
            Map.entry("Deployment", new DeploymentPrinter()),
            Map.entry("ReplicaSet", new ReplicaSetPrinter()),
            Map.entry("Event", new EventPrinter()),
            Map.entry("Lease", SimplePrinters.lease()),
            Map.entry("Service", new ServicePrinter()),
            Map.entry("ConfigMap", SimplePrinters.configMap()),
            Map.entry("Secret", SimplePrinters.secret()),
            Map.entry("Endpoints", new EndpointsPrinter()),
            Map.entry("ServiceAccount", new ServiceAccountPrinter()),
            Map.entry("PersistentVolume", new PersistentVolumePrinter()),
            Map.entry("PersistentVolumeClaim", new PersistentVolumeClaimPrinter()),
            Map.entry("ResourceQuota", new ResourceQuotaPrinter()),
            Map.entry("ReplicationController", new ReplicationControllerPrinter()),
            Map.entry("StatefulSet", new StatefulSetPrinter()),
            Map.entry("DaemonSet", new DaemonSetPrinter()),
            Map.entry("ControllerRevision", new ControllerRevisionPrinter()),
            Map.entry("Job", new JobPrinter()),
            Map.entry("CronJob", new CronJobPrinter()),
            Map.entry("HorizontalPodAutoscaler", new HorizontalPodAutoscalerPrinter()),
            Map.entry("PodDisruptionBudget", new PodDisruptionBudgetPrinter()),
            Map.entry("EndpointSlice", new EndpointSlicePrinter()),
            Map.entry("Ingress", NetworkingPrinters.ingress()),
            Map.entry("IngressClass", NetworkingPrinters.ingressClass()),
            Map.entry("NetworkPolicy", NetworkingPrinters.networkPolicy()),
            Map.entry("RoleBinding", RbacPrinters.roleBinding()),
            Map.entry("ClusterRoleBinding", RbacPrinters.clusterRoleBinding()),
            Map.entry("PriorityClass", ClassPrinters.priorityClass()),
            Map.entry("StorageClass", ClassPrinters.storageClass()),
            Map.entry("CertificateSigningRequest", ClassPrinters.certificateSigningRequest()));

    private static final Printer DEFAULT_PRINTER = new DefaultPrinter();

    private Tables() {
    }

    /**
     * True if the Accept header asks for a {@code meta.k8s.io/v1} Table (as JSON) before anything else this server
     * could send, as kubectl's {@code application/json;as=Table;v=v1;g=meta.k8s.io,...,application/json} does.
     * A header listing only the {@code v1beta1} Table gets false: this class produces {@code v1} Tables, and the
     * clients old enough to ask only for {@code v1beta1} cannot read those, but do fall back to plain JSON.
     */
    public static boolean wantsTable(String acceptHeader) {
        return AcceptHeader.prefersV1Table(acceptHeader);
    }

    /** The table of a built-in kind (e.g. "Pod"), or kube's default table (Name, Created At) for others. */
    public static TableConvertor forKind(String kind) {
        Printer printer = PRINTERS.getOrDefault(kind, DEFAULT_PRINTER);
        return (items, listMetadata, includeObject, now) -> table(printer, items, listMetadata, includeObject, now);
    }

    /**
     * The table of a custom resource version, from its CRD's {@code additionalPrinterColumns} (each with
     * {@code name}, {@code type}, {@code jsonPath} and optional {@code format}, {@code description},
     * {@code priority}); with none, Name and Age, as kube serves it.
     *
     * @throws IllegalArgumentException if a column's jsonPath cannot be read
     */
    public static TableConvertor customColumns(JsonNode additionalPrinterColumns) {
        List<CustomColumns.Definition> definitions = new java.util.ArrayList<>();
        if (additionalPrinterColumns != null) {
            for (JsonNode c : additionalPrinterColumns) {
                definitions.add(new CustomColumns.Definition(c.path("name").asText(), c.path("type").asText(),
                        c.path("format").asText(""), c.path("description").asText(""), c.path("priority").asInt(0),
                        JsonPath.parse(c.path("jsonPath").asText())));
            }
        }
        Printer printer = new CustomColumns(definitions);
        return (items, listMetadata, includeObject, now) -> table(printer, items, listMetadata, includeObject, now);
    }

    /**
     * The Table kube-apiserver would return for these objects of this kind (e.g. "Pod"), given the list's metadata
     * (resourceVersion, continue, remainingItemCount) and the time now (for AGE). includeObject is the request's
     * {@code includeObject} query parameter: {@code None}, {@code Metadata} (the default, also for null or empty)
     * or {@code Object}. Kinds without a printer get kube's default table: Name and Created At columns.
     *
     * @throws IllegalArgumentException for any other includeObject value, which kube-apiserver answers with
     *                                  400 Bad Request
     */
    public static ObjectNode table(String kind, List<ObjectNode> items, ObjectNode listMetadata, String includeObject,
                                   Instant now) {
        return table(PRINTERS.getOrDefault(kind, DEFAULT_PRINTER), items, listMetadata, includeObject, now);
    }

    private static ObjectNode table(Printer printer, List<ObjectNode> items, ObjectNode listMetadata,
                                    String includeObject, Instant now) {
        IncludeObject include = IncludeObject.parse(includeObject);

        ObjectNode table = JSON.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.set("metadata", tableMetadata(listMetadata));
        ArrayNode columns = table.putArray("columnDefinitions");
        printer.columns().forEach(c -> columns.add(c.toJson()));
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode item : items) {
            rows.add(row(printer, item, include, now));
        }
        return table;
    }

    private static ObjectNode row(Printer printer, ObjectNode item, IncludeObject include, Instant now) {
        ObjectNode row = JSON.objectNode();
        ArrayNode cells = row.putArray("cells");
        for (Object cell : printer.cells(item, now)) {
            cells.add(cellJson(cell));
        }
        List<ObjectNode> conditions = printer.conditions(item);
        if (!conditions.isEmpty()) {
            row.putArray("conditions").addAll(conditions);
        }
        switch (include) {
            case OBJECT -> row.set("object", item.deepCopy());
            case METADATA -> row.set("object", partialObjectMetadata(item));
            case NONE -> {
                // No object at all: the client asked for cells only.
            }
        }
        return row;
    }

    private static JsonNode cellJson(Object cell) {
        if (cell == null) {
            return JSON.nullNode();
        } else if (cell instanceof Double number) {
            return JSON.numberNode(number);
        } else if (cell instanceof Long number) {
            return JSON.numberNode(number);
        } else if (cell instanceof Boolean flag) {
            return JSON.booleanNode(flag);
        }
        return JSON.textNode(String.valueOf(cell));
    }

    /** What kubectl needs besides the cells (e.g. the namespace for {@code -A}): the object's whole metadata. */
    private static ObjectNode partialObjectMetadata(ObjectNode item) {
        ObjectNode partial = JSON.objectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        JsonNode metadata = item.get("metadata");
        partial.set("metadata", metadata != null && metadata.isObject() ? metadata.deepCopy() : JSON.objectNode());
        return partial;
    }

    /** The list's paging state; other list metadata (selfLink is gone since 1.20) does not carry over. */
    private static ObjectNode tableMetadata(ObjectNode listMetadata) {
        ObjectNode metadata = JSON.objectNode();
        if (listMetadata != null) {
            for (String field : List.of("resourceVersion", "continue", "remainingItemCount")) {
                JsonNode value = listMetadata.get(field);
                // Go omits these when empty, so an empty string or null is dropped too.
                if (value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty())) {
                    metadata.set(field, value.deepCopy());
                }
            }
        }
        return metadata;
    }

    private enum IncludeObject {
        NONE, METADATA, OBJECT;

        static IncludeObject parse(String value) {
            if (value == null || value.isEmpty() || value.equals("Metadata")) {
                return METADATA;
            } else if (value.equals("None")) {
                return NONE;
            } else if (value.equals("Object")) {
                return OBJECT;
            }
            throw new IllegalArgumentException("unrecognized includeObject value: \"" + value + "\"");
        }
    }
}
