package dev.drydock.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.ScaleSubresource;
import dev.drydock.api.table.Tables;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's custom kinds in step with the stored CRDs: each served version of a CRD is one kind, all
 * stored under the CRD's group and plural in its storage version. A CRD being deleted has its custom resources
 * deleted (their finalizers honoured), then its cleanup finalizer removed, so that it goes.
 */
final class CustomResourceKinds {

    private static final Logger LOG = LoggerFactory.getLogger(CustomResourceKinds.class);
    private static final long FIRST_RETRY_MS = 50;
    private static final long MAX_RETRY_MS = 2_000;

    private final ResourceStorage storage;
    private final ScheduledExecutorService timer;
    /** CRD name to the resources it serves now. */
    private final Map<String, List<Resource>> served = new HashMap<>();
    /** CRD name to its kinds' strategies, to refuse creates while it is terminating. */
    private final Map<String, List<CustomResourceStrategy>> strategies = new HashMap<>();
    private final Map<String, Boolean> cleaning = new HashMap<>();

    CustomResourceKinds(ResourceStorage storage, ScheduledExecutorService timer) {
        this.storage = storage;
        this.timer = timer;
    }

    synchronized void sync(ObjectNode previous, ObjectNode current) {
        KindRegistry registry = storage.registry();
        String name = Json.name(current != null ? current : previous);
        List<Resource> before = served.getOrDefault(name, List.of());
        if (current == null) {
            before.forEach(registry::remove);
            served.remove(name);
            strategies.remove(name);
            cleaning.remove(name);
            return;
        }
        List<KindDescriptor> kinds = new ArrayList<>();
        List<CustomResourceStrategy> crStrategies = new ArrayList<>();
        for (KindDescriptor k : describe(current, crStrategies)) {
            kinds.add(k);
        }
        List<Resource> now = kinds.stream().map(KindDescriptor::resource).toList();
        for (Resource r : before) {
            if (!now.contains(r)) {
                registry.remove(r);
            }
        }
        kinds.forEach(registry::add);
        served.put(name, now);
        strategies.put(name, crStrategies);
        if (Json.isDeleting(current)) {
            crStrategies.forEach(s -> s.terminating(true));
            if (cleaning.putIfAbsent(name, true) == null) {
                timer.execute(() -> cleanUp(name, FIRST_RETRY_MS));
            }
        }
    }

    /** The kinds a CRD serves: one per served version. */
    private static List<KindDescriptor> describe(ObjectNode crd, List<CustomResourceStrategy> strategies) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText();
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asText();
        String kind = names.path("kind").asText();
        boolean namespaced = spec.path("scope").asText().equals("Namespaced");
        String storageVersion = null;
        for (JsonNode v : spec.path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                storageVersion = v.path("name").asText();
            }
        }
        Resource stored = new Resource(group, storageVersion, plural, kind, namespaced);
        List<KindDescriptor> kinds = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(false)) {
                continue;
            }
            String version = v.path("name").asText();
            Resource resource = new Resource(group, version, plural, kind, namespaced);
            JsonNode subresources = v.path("subresources");
            CustomResourceStrategy strategy = new CustomResourceStrategy(resource, v.path("schema")
                    .path("openAPIV3Schema"), subresources.has("status"));
            strategies.add(strategy);
            KindDescriptor.Builder b = KindDescriptor.of(resource)
                    .singular(names.path("singular").asText(kind.toLowerCase()))
                    .shortNames(strings(names.path("shortNames")).toArray(String[]::new))
                    .categories(strings(names.path("categories")))
                    .strategy(strategy)
                    .table(Tables.customColumns(v.path("additionalPrinterColumns")))
                    .schema(v.path("schema").path("openAPIV3Schema"))
                    .storedAs(stored, new NoneConversion(group + "/" + version, group + "/" + storageVersion));
            if (subresources.has("status")) {
                b.status();
            }
            JsonNode scale = subresources.path("scale");
            if (scale.isObject()) {
                b.subresource("scale", new ScaleSubresource(scale.path("specReplicasPath").asText(),
                        scale.path("statusReplicasPath").asText(),
                        scale.path("labelSelectorPath").isTextual() ? scale.path("labelSelectorPath").asText()
                                : ""));
            }
            for (JsonNode f : v.path("selectableFields")) {
                b.fields(f.path("jsonPath").asText().replaceFirst("^\\.", ""));
            }
            kinds.add(b.build());
        }
        return kinds;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Deletes the custom resources of a CRD being deleted; once none is left, lets the CRD go. */
    private void cleanUp(String crdName, long retryMs) {
        KindDescriptor crdKind = storage.registry().find(CustomResourceDefinitions.RESOURCE);
        try {
            ObjectNode crd = storage.find(crdKind, null, crdName);
            if (crd == null || !Json.isDeleting(crd)) {
                synchronized (this) {
                    cleaning.remove(crdName);
                }
                return;
            }
            List<Resource> resources;
            synchronized (this) {
                resources = served.getOrDefault(crdName, List.of());
            }
            boolean left = false;
            if (!resources.isEmpty()) {
                KindDescriptor kind = storage.registry().find(resources.get(0));
                for (ObjectNode cr : storage.list(kind, null)) {
                    left = true;
                    if (!Json.isDeleting(cr)) {
                        try {
                            storage.delete(kind, Json.namespace(cr), Json.name(cr));
                        } catch (ApiException e) {
                            if (!e.isNotFound()) {
                                throw e;
                            }
                        }
                    }
                }
                if (left) {
                    left = !storage.list(kind, null).isEmpty();
                }
            }
            if (left) {
                timer.schedule(() -> cleanUp(crdName, Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs,
                        TimeUnit.MILLISECONDS);
                return;
            }
            storage.write(crdKind, null, crdName, -1, obj -> {
                ArrayNode finalizers = Json.withArray(Json.with(obj, "metadata"), "finalizers");
                for (int i = finalizers.size() - 1; i >= 0; i--) {
                    if (finalizers.get(i).asText().equals(CustomResourceDefinitions.CLEANUP_FINALIZER)) {
                        finalizers.remove(i);
                    }
                }
                return storage.updated(crdKind, obj.deepCopy(), obj);
            }, false);
        } catch (RuntimeException e) {
            if (timer.isShutdown()) {
                return;
            }
            LOG.warn("cleaning up the custom resources of CRD {} failed; retrying in {} ms", crdName, retryMs, e);
            timer.schedule(() -> cleanUp(crdName, Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** kube's {@code None} conversion: only the apiVersion changes between a CRD's versions. */
    private record NoneConversion(String apiVersion, String storageApiVersion) implements KindDescriptor.Conversion {

        @Override
        public ObjectNode fromStorage(ObjectNode stored) {
            stored.put("apiVersion", apiVersion);
            return stored;
        }

        @Override
        public ObjectNode toStorage(ObjectNode obj) {
            ObjectNode copy = obj.deepCopy();
            copy.put("apiVersion", storageApiVersion);
            return copy;
        }
    }
}
