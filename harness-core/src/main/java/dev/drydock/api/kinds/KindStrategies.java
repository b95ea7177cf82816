package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The strategies of the built-in kinds. Defaults and rules follow kube's {@code pkg/apis/*}: only the common ones. */
final class KindStrategies {

    private KindStrategies() {
    }

    static final KindStrategy NAMESPACE = new KindStrategy() {
        @Override
        public boolean nameIsLabel() {
            return true;
        }

        @Override
        public void defaults(ObjectNode ns) {
            ObjectNode spec = Json.with(ns, "spec");
            if (!spec.has("finalizers")) {
                spec.putArray("finalizers").add("kubernetes");
            }
        }

        @Override
        public void prepareForCreate(ObjectNode ns) {
            Json.with(ns, "status").put("phase", "Active");
        }

        @Override
        public boolean returnsDeletedObject() {
            return true;
        }

        @Override
        public boolean heldBeyondFinalizers(ObjectNode ns) {
            return !ns.path("spec").path("finalizers").isEmpty();
        }

        @Override
        public void prepareForDelete(ObjectNode ns) {
            Json.with(ns, "status").put("phase", "Terminating"); // it is either gone or being deleted now
        }
    };

    static final KindStrategy NODE = new KindStrategy() {
    };

    static final KindStrategy POD = new KindStrategy() {
        @Override
        public void defaults(ObjectNode pod) {
            defaultPodSpec(Json.with(pod, "spec"));
        }

        @Override
        public void prepareForCreate(ObjectNode pod) {
            ObjectNode status = pod.putObject("status");
            status.put("phase", "Pending");
            status.put("qosClass", qosClass(pod.path("spec")));
        }

        @Override
        public void validate(ObjectNode pod, List<FieldError> errors) {
            validatePodSpec("spec", pod.path("spec"), errors);
        }

        @Override
        public boolean returnsDeletedObject() {
            return true;
        }

        /**
         * kube's pod {@code CheckGracefulDelete}: the request's period or the pod's
         * {@code terminationGracePeriodSeconds}; at once for a pod never scheduled or already finished, whose
         * kubelet has nothing left to stop.
         */
        @Override
        public long gracePeriod(ObjectNode pod, Long requested) {
            String phase = pod.path("status").path("phase").asText("");
            if (pod.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded")
                    || phase.equals("Failed")) {
                return 0;
            }
            long period = requested != null ? requested
                    : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
            return period < 0 ? 1 : period;
        }
    };

    static void defaultPodSpec(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container) {
                    String image = container.path("image").asText("");
                    String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/')
                            ? image.substring(image.lastIndexOf(':') + 1) : "latest";
                    putIfAbsent(container, "imagePullPolicy", tag.equals("latest") ? "Always" : "IfNotPresent");
                    putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
                    putIfAbsent(container, "terminationMessagePolicy", "File");
                    if (!container.has("resources")) {
                        container.putObject("resources");
                    }
                    for (JsonNode port : container.path("ports")) {
                        if (port instanceof ObjectNode p) {
                            putIfAbsent(p, "protocol", "TCP");
                        }
                    }
                    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                        if (container.get(probe) instanceof ObjectNode p) {
                            defaultProbe(p);
                        }
                    }
                    for (String hook : List.of("postStart", "preStop")) {
                        if (container.path("lifecycle").get(hook) instanceof ObjectNode h) {
                            defaultHandler(h);
                        }
                    }
                    for (JsonNode env : container.path("env")) {
                        if (env.path("valueFrom").get("fieldRef") instanceof ObjectNode ref) {
                            putIfAbsent(ref, "apiVersion", "v1");
                        }
                    }
                }
            }
        }
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        for (JsonNode volume : spec.path("volumes")) {
            for (String source : List.of("configMap", "secret", "downwardAPI", "projected")) {
                if (volume.get(source) instanceof ObjectNode v) {
                    if (!v.has("defaultMode")) {
                        v.put("defaultMode", 420); // 0644
                    }
                    for (JsonNode item : v.path("items")) {
                        if (item.get("fieldRef") instanceof ObjectNode ref) {
                            putIfAbsent(ref, "apiVersion", "v1");
                        }
                    }
                }
            }
        }
    }

    /** kube's SetDefaults_Probe, and its handler's. */
    private static void defaultProbe(ObjectNode probe) {
        for (var d : List.of(java.util.Map.entry("timeoutSeconds", 1), java.util.Map.entry("periodSeconds", 10),
                java.util.Map.entry("successThreshold", 1), java.util.Map.entry("failureThreshold", 3))) {
            if (!probe.has(d.getKey()) || probe.path(d.getKey()).asInt(-1) == 0) { // zero is unset, as in Go
                probe.put(d.getKey(), d.getValue());
            }
        }
        defaultHandler(probe);
    }

    /** kube's SetDefaults_HTTPGetAction: path {@code /}, scheme HTTP. */
    private static void defaultHandler(ObjectNode handler) {
        if (handler.get("httpGet") instanceof ObjectNode get) {
            putIfAbsent(get, "path", "/");
            putIfAbsent(get, "scheme", "HTTP");
        }
    }

    private static void putIfAbsent(ObjectNode obj, String field, String value) {
        if (!obj.hasNonNull(field)) {
            obj.put(field, value);
        }
    }

    static void validatePodSpec(String path, JsonNode spec, List<FieldError> errors) {
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            errors.add(FieldError.required(path + ".containers", ""));
            return;
        }
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode c : containers) {
            String field = path + ".containers[" + i++ + "]";
            String name = c.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(field + ".name", ""));
            } else {
                Validation.dns1123Label(field + ".name", name, errors);
                if (!names.add(name)) {
                    errors.add(new FieldError(FieldError.Type.INVALID, field + ".name", name, "Duplicate value"));
                }
            }
            if (c.path("image").asText("").isBlank()) {
                errors.add(FieldError.required(field + ".image", ""));
            }
            ProbeValidation.container(field, c, errors);
            checkQuantities(c.path("resources").path("requests"), field + ".resources.requests", errors);
            checkQuantities(c.path("resources").path("limits"), field + ".resources.limits", errors);
        }
        String restart = spec.path("restartPolicy").asText();
        if (!Set.of("Always", "OnFailure", "Never").contains(restart)) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", restart,
                    "supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
    }

    /**
     * Resource quantities: one that does not parse is refused as kube's decoder refuses it (400, before validation);
     * a negative one is invalid (422).
     */
    private static void checkQuantities(JsonNode resources, String field, List<FieldError> errors) {
        for (java.util.Map.Entry<String, JsonNode> e : resources.properties()) {
            String value = e.getValue().asText();
            java.math.BigDecimal q;
            try {
                q = Quantity.parse(value);
            } catch (IllegalArgumentException ex) {
                throw ApiException.of(400, "BadRequest", "unable to parse quantity's suffix: " + field + "["
                        + e.getKey() + "]: \"" + value + "\": " + ex.getMessage());
            }
            if (q.signum() < 0) {
                errors.add(FieldError.invalid(field + "[" + e.getKey() + "]", value,
                        "must be greater than or equal to 0"));
            }
        }
    }

    /**
     * Kube's QoS class ({@code GetPodQOS}), from the cpu and memory of every container and init container (zero
     * quantities ignored, a request not set being its limit's): BestEffort with none, Guaranteed when every container
     * limits both and the pod's requests equal its limits, else Burstable.
     */
    static String qosClass(JsonNode spec) {
        java.util.Map<String, java.math.BigDecimal> requests = new java.util.HashMap<>();
        java.util.Map<String, java.math.BigDecimal> limits = new java.util.HashMap<>();
        boolean guaranteed = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                JsonNode req = c.path("resources").path("requests");
                JsonNode lim = c.path("resources").path("limits");
                int limited = 0;
                for (String r : List.of("cpu", "memory")) {
                    java.math.BigDecimal l = positive(lim.path(r));
                    java.math.BigDecimal q = req.has(r) ? positive(req.path(r)) : l;
                    if (q != null) {
                        requests.merge(r, q, java.math.BigDecimal::add);
                    }
                    if (l != null) {
                        limits.merge(r, l, java.math.BigDecimal::add);
                        limited++;
                    }
                }
                guaranteed &= limited == 2;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed && requests.keySet().equals(limits.keySet())
                && requests.entrySet().stream().allMatch(e -> e.getValue().compareTo(limits.get(e.getKey())) == 0)) {
            return "Guaranteed";
        }
        return "Burstable";
    }

    private static java.math.BigDecimal positive(JsonNode q) {
        if (q.isMissingNode() || q.isNull()) {
            return null;
        }
        try {
            java.math.BigDecimal v = dev.drydock.kube.Quantity.parse(q.asText());
            return v.signum() > 0 ? v : null;
        } catch (IllegalArgumentException e) {
            return null; // validation reports it
        }
    }
}
