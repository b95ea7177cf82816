package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The strategies of Endpoints, ReplicationControllers, ResourceQuotas and LimitRanges, after kube's
 * {@code pkg/apis/core} defaults and validation (the common rules, worded as kube words them).
 */
final class CoreV1Strategies {

    private static final String PROTOCOLS = "supported values: \"SCTP\", \"TCP\", \"UDP\"";
    /** kube's {@code standardQuotaResources}: what a quota may name without a prefix. */
    private static final Set<String> QUOTA_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
            "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
            "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers");
    /** kube's {@code integerResources}: counted in whole numbers. */
    private static final Set<String> INTEGER_RESOURCES = Set.of("pods", "services", "replicationcontrollers",
            "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
            "services.loadbalancers");
    /** The resources each quota scope may apply to (kube's {@code IsResourceQuotaScopeValidForResource}). */
    private static final Set<String> POD_QUOTA_RESOURCES = Set.of("pods", "cpu", "memory", "limits.cpu",
            "limits.memory", "requests.cpu", "requests.memory");
    private static final Set<String> SCOPES = Set.of("Terminating", "NotTerminating", "BestEffort",
            "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity");

    private CoreV1Strategies() {
    }

    static final KindStrategy ENDPOINTS = new KindStrategy() {
        @Override
        public void defaults(ObjectNode endpoints) {
            for (JsonNode subset : endpoints.path("subsets")) {
                for (JsonNode p : subset.path("ports")) {
                    if (p instanceof ObjectNode port && ServiceStrategy.text(port, "protocol").isEmpty()) {
                        port.put("protocol", "TCP");
                    }
                }
            }
        }

        @Override
        public void validate(ObjectNode endpoints, List<FieldError> errors) {
            int i = 0;
            for (JsonNode subset : endpoints.path("subsets")) {
                String path = "subsets[" + i++ + "]";
                if (subset.path("addresses").isEmpty() && subset.path("notReadyAddresses").isEmpty()) {
                    errors.add(FieldError.required(path, "must specify `addresses` or `notReadyAddresses`"));
                }
                for (String list : List.of("addresses", "notReadyAddresses")) {
                    int a = 0;
                    for (JsonNode address : subset.path(list)) {
                        validateAddress(address, path + "." + list + "[" + a++ + "]", errors);
                    }
                }
                int p = 0;
                JsonNode ports = subset.path("ports");
                for (JsonNode port : ports) {
                    validatePort(port, ports.size() > 1, path + ".ports[" + p++ + "]", errors);
                }
            }
        }

        private void validateAddress(JsonNode address, String path, List<FieldError> errors) {
            String ip = ServiceStrategy.text(address, "ip");
            NetValidation.validIP(path + ".ip", ip, errors);
            String hostname = ServiceStrategy.text(address, "hostname");
            if (!hostname.isEmpty()) {
                Validation.dns1123Label(path + ".hostname", hostname, errors);
            }
            if (address.hasNonNull("nodeName")) {
                Validation.dns1123Subdomain(path + ".nodeName", address.path("nodeName").asText(), errors);
            }
            NetValidation.nonSpecialIP(path + ".ip", ip, errors);
        }

        private void validatePort(JsonNode port, boolean requireName, String path, List<FieldError> errors) {
            String name = ServiceStrategy.text(port, "name");
            if (requireName && name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            } else if (!name.isEmpty()) {
                Validation.dns1123Label(path + ".name", name, errors);
            }
            NetValidation.portNum(path + ".port", port.path("port").asLong(0), errors);
            String protocol = ServiceStrategy.text(port, "protocol");
            if (protocol.isEmpty()) {
                errors.add(FieldError.required(path + ".protocol", ""));
            } else if (!Set.of("SCTP", "TCP", "UDP").contains(protocol)) {
                errors.add(FieldError.notSupported(path + ".protocol", protocol, PROTOCOLS));
            }
            if (port.hasNonNull("appProtocol")) {
                Validation.qualifiedName(path + ".appProtocol", port.path("appProtocol").asText(), errors);
            }
        }
    };

    static final KindStrategy REPLICATION_CONTROLLER = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void defaults(ObjectNode rc) {
            ObjectNode spec = Json.with(rc, "spec");
            JsonNode templateLabels = Json.at(spec, "template", "metadata", "labels");
            if (templateLabels != null && templateLabels.isObject()) {
                if (spec.path("selector").isEmpty()) {
                    spec.set("selector", templateLabels.deepCopy());
                }
                if (rc.path("metadata").path("labels").isEmpty()) {
                    Json.with(rc, "metadata").set("labels", templateLabels.deepCopy());
                }
            }
            if (!spec.hasNonNull("replicas")) {
                spec.put("replicas", 1);
            }
            if (spec.get("template") instanceof ObjectNode template) {
                KindStrategies.defaultPodSpec(Json.with(template, "spec"));
            }
        }

        @Override
        public void prepareForCreate(ObjectNode rc) {
            rc.putObject("status").put("replicas", 0); // the controller's to write
        }

        @Override
        public void validate(ObjectNode rc, List<FieldError> errors) {
            JsonNode spec = rc.path("spec");
            nonNegative("spec.minReadySeconds", spec.path("minReadySeconds").asLong(0), errors);
            JsonNode selector = spec.path("selector");
            if (selector.isEmpty()) {
                errors.add(FieldError.required("spec.selector", ""));
            }
            nonNegative("spec.replicas", spec.path("replicas").asLong(0), errors);
            JsonNode template = spec.get("template");
            if (template == null || template.isNull()) {
                errors.add(FieldError.required("spec.template", ""));
                return;
            }
            JsonNode labels = Json.at(template, "metadata", "labels");
            if (!selector.isEmpty() && !matches(selector, labels)) {
                errors.add(FieldError.invalidRaw("spec.template.metadata.labels", goMap(labels),
                        "`selector` does not match template `labels`"));
            }
            Validation.labels("spec.template.labels", labels, errors);
            KindStrategies.validatePodSpec("spec.template.spec", template.path("spec"), errors);
            String restart = ServiceStrategy.text(template.path("spec"), "restartPolicy");
            if (!restart.equals("Always")) {
                errors.add(FieldError.notSupported("spec.template.spec.restartPolicy", restart,
                        "supported values: \"Always\""));
            }
            if (template.path("spec").hasNonNull("activeDeadlineSeconds")) {
                errors.add(FieldError.forbidden("spec.template.spec.activeDeadlineSeconds",
                        "activeDeadlineSeconds in ReplicationController is not Supported"));
            }
        }
    };

    static final KindStrategy RESOURCE_QUOTA = new KindStrategy() {
        @Override
        public void defaults(ObjectNode quota) {
            StorageStrategies.quantities("ResourceQuota", quota.path("spec").path("hard"));
            StorageStrategies.quantities("ResourceQuota", quota.path("status").path("hard"));
            StorageStrategies.quantities("ResourceQuota", quota.path("status").path("used"));
        }

        @Override
        public void prepareForCreate(ObjectNode quota) {
            quota.putObject("status"); // the quota controller's to write
        }

        @Override
        public void validate(ObjectNode quota, List<FieldError> errors) {
            JsonNode spec = quota.path("spec");
            resourceList("spec.hard", spec.path("hard"), errors);
            List<String> scopes = new ArrayList<>();
            spec.path("scopes").forEach(s -> scopes.add(s.asText()));
            String printed = FieldError.goSlice("core.ResourceQuotaScope", spec.path("scopes").isArray() ? scopes
                    : null);
            for (String scope : scopes) {
                if (!SCOPES.contains(scope)) {
                    errors.add(FieldError.invalidRaw("spec.scopes", printed, "unsupported scope"));
                }
                for (String resource : new TreeSet<>(keys(spec.path("hard")))) {
                    if (isStandardQuotaResource(resource) && !scopeAppliesTo(scope, resource)) {
                        errors.add(FieldError.invalidRaw("spec.scopes", printed, "unsupported scope applied to "
                                + "resource"));
                    }
                }
            }
            if (scopes.contains("BestEffort") && scopes.contains("NotBestEffort")
                    || scopes.contains("Terminating") && scopes.contains("NotTerminating")) {
                errors.add(FieldError.invalidRaw("spec.scopes", printed, "conflicting scopes"));
            }
            resourceList("status.hard", quota.path("status").path("hard"), errors);
            resourceList("status.used", quota.path("status").path("used"), errors);
        }

        @Override
        public void validateUpdate(ObjectNode quota, ObjectNode old, List<FieldError> errors) {
            Set<String> was = new HashSet<>();
            old.path("spec").path("scopes").forEach(s -> was.add(s.asText()));
            Set<String> is = new HashSet<>();
            List<String> scopes = new ArrayList<>();
            quota.path("spec").path("scopes").forEach(s -> {
                is.add(s.asText());
                scopes.add(s.asText());
            });
            if (!was.equals(is)) {
                errors.add(FieldError.invalidRaw("spec.scopes", FieldError.goSlice("core.ResourceQuotaScope",
                        quota.path("spec").path("scopes").isArray() ? scopes : null), "field is immutable"));
            }
        }

        private void resourceList(String path, JsonNode list, List<FieldError> errors) {
            for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(list)) {
                String field = path + "[" + e.getKey() + "]";
                String resource = e.getKey();
                int before = errors.size();
                Validation.qualifiedName(field, resource, errors);
                if (errors.size() == before && !resource.contains("/") && !isStandardQuotaResource(resource)) {
                    errors.add(FieldError.invalid(field, resource, "must be a standard resource for quota"));
                }
                BigDecimal q = Quantity.parse(e.getValue().asText());
                if (q.signum() < 0) {
                    errors.add(FieldError.invalid(field, e.getValue().asText(), "must be greater than or equal to 0"));
                }
                boolean integer = INTEGER_RESOURCES.contains(resource) || resource.startsWith("count/")
                        || resource.contains("/") && !resource.startsWith("requests.") && !resource.contains("kubernetes.io/");
                if (integer && q.stripTrailingZeros().scale() > 0) {
                    errors.add(FieldError.invalid(field, e.getValue().asText(), "must be an integer"));
                }
            }
        }
    };

    static final KindStrategy LIMIT_RANGE = new KindStrategy() {
        @Override
        public void defaults(ObjectNode limitRange) {
            for (JsonNode l : limitRange.path("spec").path("limits")) {
                if (!(l instanceof ObjectNode item)) {
                    continue;
                }
                for (String map : List.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")) {
                    StorageStrategies.quantities("LimitRange", item.path(map));
                }
                if (!ServiceStrategy.text(item, "type").equals("Container")) {
                    continue;
                }
                // As SetDefaults_LimitRangeItem: default limit from max, default request from the limit, then min.
                fill(item, "default", item.path("max"));
                fill(item, "defaultRequest", item.path("default"));
                fill(item, "defaultRequest", item.path("min"));
            }
        }

        private void fill(ObjectNode item, String field, JsonNode from) {
            for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(from)) {
                if (!item.path(field).has(e.getKey())) {
                    Json.with(item, field).set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }

        @Override
        public void validate(ObjectNode limitRange, List<FieldError> errors) {
            Set<String> types = new HashSet<>();
            int i = 0;
            for (JsonNode item : limitRange.path("spec").path("limits")) {
                validateItem(item, "spec.limits[" + i++ + "]", types, errors);
            }
        }

        private void validateItem(JsonNode item, String path, Set<String> types, List<FieldError> errors) {
            String type = ServiceStrategy.text(item, "type");
            int before = errors.size();
            Validation.qualifiedName(path + ".type", type, errors);
            if (errors.size() == before && !type.contains("/")
                    && !Set.of("Pod", "Container", "PersistentVolumeClaim").contains(type)) {
                errors.add(FieldError.invalid(path + ".type", type, "must be a standard limit type or fully "
                        + "qualified"));
            }
            if (!types.add(type)) {
                errors.add(FieldError.duplicate(path + ".type", type));
            }
            Map<String, Map<String, String>> byMap = new HashMap<>();
            for (String map : List.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")) {
                Map<String, String> values = new HashMap<>();
                for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(item.path(map))) {
                    values.put(e.getKey(), e.getValue().asText());
                }
                byMap.put(map, values);
            }
            if (type.equals("Pod")) {
                if (!byMap.get("default").isEmpty()) {
                    errors.add(FieldError.forbidden(path + ".default", "may not be specified when `type` is 'Pod'"));
                }
                if (!byMap.get("defaultRequest").isEmpty()) {
                    errors.add(FieldError.forbidden(path + ".defaultRequest", "may not be specified when `type` is "
                            + "'Pod'"));
                }
            }
            if (type.equals("PersistentVolumeClaim") && !byMap.get("min").containsKey("storage")
                    && !byMap.get("max").containsKey("storage")) {
                errors.add(FieldError.required(path + ".limits", "either minimum or maximum storage value is "
                        + "required, but neither was provided"));
            }
            Set<String> keys = new TreeSet<>();
            byMap.values().forEach(m -> keys.addAll(m.keySet()));
            for (String k : keys) {
                String min = byMap.get("min").get(k);
                String max = byMap.get("max").get(k);
                String def = byMap.get("default").get(k);
                String req = byMap.get("defaultRequest").get(k);
                String ratio = byMap.get("maxLimitRequestRatio").get(k);
                if (min != null && max != null && cmp(min, max) > 0) {
                    errors.add(FieldError.invalid(path + ".min[" + k + "]", min, "min value " + min
                            + " is greater than max value " + max));
                }
                if (req != null && min != null && cmp(min, req) > 0) {
                    errors.add(FieldError.invalid(path + ".defaultRequest[" + k + "]", req, "min value " + min
                            + " is greater than default request value " + req));
                }
                if (req != null && max != null && cmp(req, max) > 0) {
                    errors.add(FieldError.invalid(path + ".defaultRequest[" + k + "]", req, "default request value "
                            + req + " is greater than max value " + max));
                }
                if (req != null && def != null && cmp(req, def) > 0) {
                    errors.add(FieldError.invalid(path + ".defaultRequest[" + k + "]", req, "default request value "
                            + req + " is greater than default limit value " + def));
                }
                if (def != null && min != null && cmp(min, def) > 0) {
                    errors.add(FieldError.invalid(path + ".default[" + k + "]", min, "min value " + min
                            + " is greater than default value " + def));
                }
                if (def != null && max != null && cmp(def, max) > 0) {
                    errors.add(FieldError.invalid(path + ".default[" + k + "]", max, "default value " + def
                            + " is greater than max value " + max));
                }
                if (ratio != null && Quantity.parse(ratio).compareTo(BigDecimal.ONE) < 0) {
                    errors.add(FieldError.invalid(path + ".maxLimitRequestRatio[" + k + "]", ratio, "ratio " + ratio
                            + " is less than 1"));
                }
            }
        }

        private int cmp(String a, String b) {
            return Quantity.parse(a).compareTo(Quantity.parse(b));
        }
    };

    private static boolean isStandardQuotaResource(String resource) {
        return QUOTA_RESOURCES.contains(resource) || resource.startsWith("hugepages-")
                || resource.startsWith("requests.hugepages-");
    }

    private static boolean scopeAppliesTo(String scope, String resource) {
        return switch (scope) {
            case "BestEffort", "CrossNamespacePodAffinity" -> resource.equals("pods");
            case "Terminating", "NotTerminating", "NotBestEffort", "PriorityClass" ->
                    POD_QUOTA_RESOURCES.contains(resource);
            default -> true;
        };
    }

    private static Set<String> keys(JsonNode map) {
        Set<String> keys = new HashSet<>();
        map.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static void nonNegative(String field, long value, List<FieldError> errors) {
        if (value < 0) {
            errors.add(FieldError.invalidRaw(field, Long.toString(value), "must be greater than or equal to 0"));
        }
    }

    /** Whether a map selector ({@code labels.SelectorFromSet}) matches a label map. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(selector)) {
            JsonNode v = labels == null ? null : labels.get(e.getKey());
            if (v == null || !v.asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** A Go {@code map[string]string} as {@code %#v} prints it, keys sorted. */
    static String goMap(JsonNode map) {
        if (map == null || map.isNull() || map.isMissingNode()) {
            return "map[string]string(nil)";
        }
        StringBuilder b = new StringBuilder("map[string]string{");
        int i = 0;
        for (String k : new TreeSet<>(keys(map))) {
            b.append(i++ > 0 ? ", " : "").append(FieldError.goQuote(k)).append(':')
                    .append(FieldError.goQuote(map.path(k).asText()));
        }
        return b.append('}').toString();
    }
}
