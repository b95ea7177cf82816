package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.table.Tables;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HorizontalPodAutoscaler (with {@code status}) in autoscaling/v2, and in autoscaling/v1 over the same storage, as
 * kube serves both. v2 has kube's defaults ({@code minReplicas} 1, 80% average CPU when no metric is given, the
 * behavior's missing fields filled from kube's scale-up and scale-down rules) and validation
 * ({@code pkg/apis/autoscaling/validation}: scale target, metrics, behavior). v1 is the v2 object seen through
 * kube's conversion: the CPU utilization target is {@code targetCPUUtilizationPercentage}, and what v1 cannot say
 * (other metrics, current metrics, conditions, behavior) travels in kube's {@code autoscaling.alpha.kubernetes.io/*}
 * annotations. No controller scales anything yet: HPAs are stored and served.
 */
public final class AutoscalingKinds {

    /** autoscaling/v2 horizontalpodautoscalers, the storage version. */
    public static final Resource HPA_V2 = new Resource("autoscaling", "v2", "horizontalpodautoscalers",
            "HorizontalPodAutoscaler", true);
    /** autoscaling/v1 horizontalpodautoscalers. */
    public static final Resource HPA_V1 = new Resource("autoscaling", "v1", "horizontalpodautoscalers",
            "HorizontalPodAutoscaler", true);

    static final String METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";
    static final String CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics";
    static final String CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions";
    static final String BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior";
    private static final List<String> ROUND_TRIP_ANNOTATIONS = List.of(METRICS_ANNOTATION,
            CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION);

    private static final List<String> METRIC_TYPES = List.of("ContainerResource", "External", "Object", "Pods",
            "Resource");

    private AutoscalingKinds() {
    }

    /** Adds autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscalers (v2 first: the preferred version). */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(HPA_V2).shortNames("hpa").categories(KindDescriptor.ALL).status()
                .strategy(HPA).build());
        registry.add(KindDescriptor.of(HPA_V1).shortNames("hpa").categories(KindDescriptor.ALL).status()
                .strategy(HPA_V1_STRATEGY).storedAs(HPA_V2, V1_CONVERSION).table(AutoscalingKinds::v1Table).build());
    }

    /** The v1 table: the v2 printer's rows (kube prints the internal form), each row's object the v1 one. */
    private static ObjectNode v1Table(List<ObjectNode> items, ObjectNode listMetadata, String includeObject,
                                      java.time.Instant now) {
        List<ObjectNode> v2 = items.stream().map(V1_CONVERSION::toStorage).toList();
        ObjectNode table = Tables.forKind(HPA_V2.kind()).table(v2, listMetadata, includeObject, now);
        JsonNode rows = table.path("rows");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode object = rows.get(i).get("object");
            if (object instanceof ObjectNode o) {
                if (o.path("kind").asText().equals("PartialObjectMetadata")) {
                    o.set("metadata", items.get(i).path("metadata").deepCopy());
                } else {
                    ((ObjectNode) rows.get(i)).set("object", items.get(i).deepCopy());
                }
            }
        }
        return table;
    }

    static final KindStrategy HPA = new KindStrategy() {
        @Override
        public void defaults(ObjectNode hpa) {
            ObjectNode spec = Json.with(hpa, "spec");
            KindChecks.putIfAbsent(spec, "minReplicas", 1);
            if (spec.path("metrics").isEmpty()) {
                spec.set("metrics", Json.array().add(cpuUtilization(80)));
            }
            JsonNode behavior = spec.get("behavior");
            if (behavior instanceof ObjectNode b) {
                b.set("scaleUp", scalingRules(b.get("scaleUp"), true));
                b.set("scaleDown", scalingRules(b.get("scaleDown"), false));
            }
        }

        @Override
        public void prepareForCreate(ObjectNode hpa) {
            // create cannot set status; currentMetrics and desiredReplicas have no omitempty
            ObjectNode status = hpa.putObject("status");
            status.putNull("currentMetrics");
            status.put("desiredReplicas", 0);
        }

        @Override
        public void validate(ObjectNode hpa, List<FieldError> errors) {
            validateSpec(hpa.path("spec"), errors);
        }
    };

    /** v1 objects are defaulted as v1 ({@code minReplicas}), then validated as the v2 object they are stored as. */
    static final KindStrategy HPA_V1_STRATEGY = new KindStrategy() {
        @Override
        public void defaults(ObjectNode hpa) {
            KindChecks.putIfAbsent(Json.with(hpa, "spec"), "minReplicas", 1);
        }

        @Override
        public void prepareForCreate(ObjectNode hpa) {
            ObjectNode status = hpa.putObject("status");
            status.put("currentReplicas", 0);
            status.put("desiredReplicas", 0);
        }

        @Override
        public void validate(ObjectNode hpa, List<FieldError> errors) {
            validateSpec(V1_CONVERSION.toStorage(hpa).path("spec"), errors);
        }
    };

    private static ObjectNode cpuUtilization(int percent) {
        ObjectNode metric = Json.object();
        metric.put("type", "Resource");
        ObjectNode resource = metric.putObject("resource");
        resource.put("name", "cpu");
        resource.putObject("target").put("type", "Utilization").put("averageUtilization", percent);
        return metric;
    }

    /** kube's {@code GenerateHPAScaleUpRules} / {@code GenerateHPAScaleDownRules}: the defaults, overridden. */
    private static ObjectNode scalingRules(JsonNode given, boolean up) {
        ObjectNode rules = Json.object();
        if (up) {
            rules.put("stabilizationWindowSeconds", 0);
        }
        rules.put("selectPolicy", "Max");
        ArrayNode policies = rules.putArray("policies");
        if (up) {
            policies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
        }
        policies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
        if (given instanceof ObjectNode g) {
            for (String f : List.of("selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance")) {
                if (g.hasNonNull(f)) {
                    rules.set(f, g.get(f).deepCopy());
                }
            }
        }
        return rules;
    }

    // ---- validation (pkg/apis/autoscaling/validation)

    static void validateSpec(JsonNode spec, List<FieldError> errors) {
        JsonNode min = spec.get("minReplicas");
        if (min != null && min.isNumber() && min.asLong() < 1) {
            errors.add(FieldError.invalidRaw("spec.minReplicas", min.asText(), "must be greater than or equal to 1"));
        }
        long max = spec.path("maxReplicas").asLong(0);
        if (max < 1) {
            errors.add(FieldError.invalidRaw("spec.maxReplicas", Long.toString(max), "must be greater than 0"));
        }
        if (min != null && min.isNumber() && max < min.asLong()) {
            errors.add(FieldError.invalidRaw("spec.maxReplicas", Long.toString(max),
                    "must be greater than or equal to `minReplicas`"));
        }
        objectReference("spec.scaleTargetRef", spec.path("scaleTargetRef"), errors);
        int i = 0;
        for (JsonNode metric : spec.path("metrics")) {
            metric("spec.metrics[" + i++ + "]", metric, errors);
        }
        JsonNode behavior = spec.get("behavior");
        if (behavior != null && behavior.isObject()) {
            scalingRules("spec.behavior.scaleUp", behavior.get("scaleUp"), errors);
            scalingRules("spec.behavior.scaleDown", behavior.get("scaleDown"), errors);
        }
    }

    /** {@code ValidateCrossVersionObjectReference}: kind and name required, each a valid path segment. */
    private static void objectReference(String path, JsonNode ref, List<FieldError> errors) {
        for (String f : List.of("kind", "name")) {
            String value = ref.path(f).asText("");
            if (value.isEmpty()) {
                errors.add(FieldError.required(path + "." + f, ""));
            } else {
                pathSegment(path + "." + f, value, errors);
            }
        }
    }

    /** {@code IsValidPathSegmentName}. */
    private static void pathSegment(String field, String value, List<FieldError> errors) {
        if (value.equals(".") || value.equals("..")) {
            errors.add(FieldError.invalid(field, value, "may not be '" + value + "'"));
        }
        for (String bad : List.of("/", "%")) {
            if (value.contains(bad)) {
                errors.add(FieldError.invalid(field, value, "may not contain '" + bad + "'"));
            }
        }
    }

    private static void metric(String path, JsonNode metric, List<FieldError> errors) {
        String type = metric.path("type").asText("");
        if (type.isEmpty()) {
            errors.add(FieldError.required(path + ".type", "must specify a metric source type"));
        }
        if (!METRIC_TYPES.contains(type)) {
            errors.add(FieldError.notSupported(path + ".type", type, supported(METRIC_TYPES)));
        }
        Map<String, String> fields = Map.of("Object", "object", "Pods", "pods", "Resource", "resource",
                "External", "external", "ContainerResource", "containerResource");
        String first = null;
        for (String f : List.of("object", "external", "pods", "resource", "containerResource")) {
            if (metric.hasNonNull(f) && first == null) {
                first = f;
                source(path + "." + f, f, metric.get(f), errors);
            }
        }
        String expected = fields.get(type);
        if (expected != null && !metric.hasNonNull(expected)) {
            errors.add(FieldError.required(path + "." + expected, "must populate information for the given metric "
                    + "source"));
        }
        if (expected == null && !type.isEmpty()) {
            errors.add(FieldError.notSupported(path + ".type", type, supported(METRIC_TYPES)));
        }
        for (String f : List.of("object", "external", "pods", "resource", "containerResource")) {
            if (metric.hasNonNull(f) && !f.equals(expected)) {
                errors.add(FieldError.forbidden(path + "." + f, "must populate the given metric source only"));
            }
        }
    }

    private static void source(String path, String kind, JsonNode source, List<FieldError> errors) {
        JsonNode target = source.path("target");
        switch (kind) {
            case "resource", "containerResource" -> {
                if (source.path("name").asText("").isEmpty()) {
                    errors.add(FieldError.required(path + ".name", "must specify a resource name"));
                }
                if (kind.equals("containerResource") && source.path("container").asText("").isEmpty()) {
                    errors.add(FieldError.required(path + ".container", "must specify a container"));
                }
                metricTarget(path + ".target", target, errors);
                if (!target.hasNonNull("averageUtilization") && !target.hasNonNull("averageValue")) {
                    errors.add(FieldError.required(path + ".target.averageUtilization",
                            "must set either a target raw value or a target utilization"));
                }
                if (target.hasNonNull("averageUtilization") && target.hasNonNull("averageValue")) {
                    errors.add(FieldError.forbidden(path + ".target.averageValue",
                            "may not set both a target raw value and a target utilization"));
                }
            }
            case "pods" -> {
                metricIdentifier(path + ".metric", source.path("metric"), errors);
                metricTarget(path + ".target", target, errors);
                if (!target.hasNonNull("averageValue")) {
                    errors.add(FieldError.required(path + ".target.averageValue",
                            "must specify a positive target averageValue"));
                }
            }
            case "object" -> {
                objectReference(path + ".describedObject", source.path("describedObject"), errors);
                metricIdentifier(path + ".metric", source.path("metric"), errors);
                metricTarget(path + ".target", target, errors);
                if (!target.hasNonNull("value") && !target.hasNonNull("averageValue")) {
                    errors.add(FieldError.required(path + ".target.value",
                            "must set either a target value or averageValue"));
                }
            }
            default -> { // external
                metricIdentifier(path + ".metric", source.path("metric"), errors);
                metricTarget(path + ".target", target, errors);
                if (!target.hasNonNull("value") && !target.hasNonNull("averageValue")) {
                    errors.add(FieldError.required(path + ".target.value",
                            "must set either a target value for metric or a per-pod target"));
                }
                if (target.hasNonNull("value") && target.hasNonNull("averageValue")) {
                    errors.add(FieldError.forbidden(path + ".target.value",
                            "may not set both a target value for metric and a per-pod target"));
                }
            }
        }
    }

    private static void metricIdentifier(String path, JsonNode metric, List<FieldError> errors) {
        String name = metric.path("name").asText("");
        if (name.isEmpty()) {
            errors.add(FieldError.required(path + ".name", "must specify a metric name"));
        } else {
            pathSegment(path + ".name", name, errors);
        }
    }

    private static void metricTarget(String path, JsonNode target, List<FieldError> errors) {
        String type = target.path("type").asText("");
        if (type.isEmpty()) {
            errors.add(FieldError.required(path + ".type", "must specify a metric target type"));
        }
        if (!Set.of("Utilization", "Value", "AverageValue").contains(type)) {
            errors.add(FieldError.invalid(path + ".type", type, "must be either Utilization, Value, or AverageValue"));
        }
        for (String f : List.of("value", "averageValue")) {
            JsonNode q = target.get(f);
            if (q != null && !q.isNull()) {
                if (quantitySign(q, path + "." + f) != 1) {
                    errors.add(FieldError.invalidRaw(path + "." + f, q.asText(), "must be positive"));
                }
            }
        }
        JsonNode utilization = target.get("averageUtilization");
        if (utilization != null && utilization.isNumber() && utilization.asLong() < 1) {
            errors.add(FieldError.invalidRaw(path + ".averageUtilization", utilization.asText(),
                    "must be greater than 0"));
        }
    }

    /** The sign of a quantity; one that does not parse is refused as kube's decoder refuses it (400). */
    private static int quantitySign(JsonNode q, String field) {
        try {
            return Quantity.parse(q.asText()).signum();
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "BadRequest", "unable to parse quantity's suffix: " + field + ": \""
                    + q.asText() + "\": " + e.getMessage());
        }
    }

    private static void scalingRules(String path, JsonNode rules, List<FieldError> errors) {
        if (rules == null || !rules.isObject()) {
            return;
        }
        JsonNode window = rules.get("stabilizationWindowSeconds");
        if (window != null && window.isNumber()) {
            if (window.asLong() < 0) {
                errors.add(FieldError.invalidRaw(path + ".stabilizationWindowSeconds", window.asText(),
                        "must be greater than or equal to zero"));
            }
            if (window.asLong() > 3600) {
                errors.add(FieldError.invalidRaw(path + ".stabilizationWindowSeconds", window.asText(),
                        "must be less than or equal to 3600"));
            }
        }
        JsonNode select = rules.get("selectPolicy");
        if (select != null && !select.isNull() && !Set.of("Max", "Min", "Disabled").contains(select.asText())) {
            errors.add(FieldError.notSupported(path + ".selectPolicy", select.asText(),
                    "supported values: \"Disabled\", \"Max\", \"Min\""));
        }
        JsonNode policies = rules.path("policies");
        if (policies.isEmpty()) {
            errors.add(FieldError.required(path + ".policies", "must specify at least one Policy"));
        }
        int i = 0;
        for (JsonNode policy : policies) {
            String p = path + ".policies[" + i++ + "]";
            String type = policy.path("type").asText("");
            if (!type.equals("Pods") && !type.equals("Percent")) {
                errors.add(FieldError.notSupported(p + ".type", type, "supported values: \"Percent\", \"Pods\""));
            }
            if (policy.path("value").asLong(0) <= 0) {
                errors.add(FieldError.invalidRaw(p + ".value", Long.toString(policy.path("value").asLong(0)),
                        "must be greater than zero"));
            }
            long period = policy.path("periodSeconds").asLong(0);
            if (period <= 0) {
                errors.add(FieldError.invalidRaw(p + ".periodSeconds", Long.toString(period),
                        "must be greater than zero"));
            }
            if (period > 1800) {
                errors.add(FieldError.invalidRaw(p + ".periodSeconds", Long.toString(period),
                        "must be less than or equal to 1800"));
            }
        }
    }

    private static String supported(List<String> values) {
        StringBuilder s = new StringBuilder("supported values: ");
        for (int i = 0; i < values.size(); i++) {
            s.append(i > 0 ? ", " : "").append('"').append(values.get(i)).append('"');
        }
        return s.toString();
    }

    // ---- autoscaling/v1 <-> v2 (pkg/apis/autoscaling/v1/conversion.go)

    static final KindDescriptor.Conversion V1_CONVERSION = new KindDescriptor.Conversion() {
        @Override
        public ObjectNode fromStorage(ObjectNode v2) {
            ObjectNode v1 = Json.object();
            v1.put("kind", "HorizontalPodAutoscaler");
            v1.put("apiVersion", "autoscaling/v1");
            ObjectNode meta = v2.path("metadata").deepCopy();
            dropRoundTripAnnotations(meta);
            v1.set("metadata", meta);
            JsonNode spec = v2.path("spec");
            ObjectNode outSpec = v1.putObject("spec");
            copy(spec, outSpec, "scaleTargetRef");
            copy(spec, outSpec, "minReplicas");
            outSpec.put("maxReplicas", spec.path("maxReplicas").asInt(0));
            ArrayNode otherMetrics = Json.array();
            boolean cpuSeen = false;
            for (JsonNode metric : spec.path("metrics")) {
                boolean cpu = metric.path("type").asText().equals("Resource")
                        && metric.path("resource").path("name").asText().equals("cpu");
                if (cpu && !cpuSeen) {
                    cpuSeen = true;
                    JsonNode utilization = metric.path("resource").path("target").get("averageUtilization");
                    if (utilization != null && !utilization.isNull()) {
                        outSpec.put("targetCPUUtilizationPercentage", utilization.asInt());
                    }
                }
                if (cpu && metric.path("resource").path("target").hasNonNull("averageUtilization")) {
                    continue;
                }
                otherMetrics.add(metricToV1(metric));
            }
            JsonNode status = v2.path("status");
            ObjectNode outStatus = v1.putObject("status");
            copy(status, outStatus, "observedGeneration");
            copy(status, outStatus, "lastScaleTime");
            outStatus.put("currentReplicas", status.path("currentReplicas").asInt(0));
            outStatus.put("desiredReplicas", status.path("desiredReplicas").asInt(0));
            ArrayNode otherCurrent = Json.array();
            for (JsonNode metric : status.path("currentMetrics")) {
                if (metric.path("type").asText().equals("Resource")
                        && metric.path("resource").path("name").asText().equals("cpu")
                        && metric.path("resource").path("current").hasNonNull("averageUtilization")) {
                    outStatus.put("currentCPUUtilizationPercentage",
                            metric.path("resource").path("current").path("averageUtilization").asInt());
                    continue;
                }
                otherCurrent.add(metricStatusToV1(metric));
            }
            ObjectNode annotations = Json.object();
            if (!otherMetrics.isEmpty()) {
                annotations.put(METRICS_ANNOTATION, otherMetrics.toString());
            }
            if (!otherCurrent.isEmpty()) {
                annotations.put(CURRENT_METRICS_ANNOTATION, otherCurrent.toString());
            }
            if (!status.path("conditions").isEmpty()) {
                annotations.put(CONDITIONS_ANNOTATION, status.get("conditions").toString());
            }
            if (spec.hasNonNull("behavior")) {
                annotations.put(BEHAVIOR_ANNOTATION, behaviorToGo(spec.get("behavior")).toString());
            }
            if (!annotations.isEmpty()) {
                Json.with(meta, "annotations").setAll(annotations);
            }
            return v1;
        }

        @Override
        public ObjectNode toStorage(ObjectNode v1) {
            ObjectNode v2 = Json.object();
            v2.put("kind", "HorizontalPodAutoscaler");
            v2.put("apiVersion", "autoscaling/v2");
            JsonNode annotations = v1.path("metadata").path("annotations");
            ObjectNode meta = v1.path("metadata").isObject() ? v1.path("metadata").deepCopy() : Json.object();
            dropRoundTripAnnotations(meta);
            v2.set("metadata", meta);
            JsonNode spec = v1.path("spec");
            ObjectNode outSpec = v2.putObject("spec");
            copy(spec, outSpec, "scaleTargetRef");
            copy(spec, outSpec, "minReplicas");
            copy(spec, outSpec, "maxReplicas");
            ArrayNode metrics = outSpec.putArray("metrics");
            for (JsonNode metric : annotationArray(annotations, METRICS_ANNOTATION)) {
                metrics.add(metricFromV1(metric));
            }
            if (spec.hasNonNull("targetCPUUtilizationPercentage")) {
                metrics.add(cpuUtilization(spec.path("targetCPUUtilizationPercentage").asInt()));
            }
            if (metrics.isEmpty()) {
                // autoscaling/v1 formerly had an implicit default applied in the controller: 80% CPU
                metrics.add(cpuUtilization(80));
            }
            JsonNode behavior = annotationValue(annotations, BEHAVIOR_ANNOTATION);
            if (behavior != null && behavior.isObject()) {
                outSpec.set("behavior", behaviorFromGo(behavior));
            }
            JsonNode status = v1.path("status");
            ObjectNode outStatus = v2.putObject("status");
            copy(status, outStatus, "observedGeneration");
            copy(status, outStatus, "lastScaleTime");
            if (status.path("currentReplicas").asLong(0) != 0) {
                outStatus.put("currentReplicas", status.path("currentReplicas").asInt());
            }
            outStatus.put("desiredReplicas", status.path("desiredReplicas").asInt(0));
            ArrayNode current = Json.array();
            for (JsonNode metric : annotationArray(annotations, CURRENT_METRICS_ANNOTATION)) {
                current.add(metricStatusFromV1(metric));
            }
            if (status.hasNonNull("currentCPUUtilizationPercentage")) {
                ObjectNode cpu = current.addObject();
                cpu.put("type", "Resource");
                ObjectNode resource = cpu.putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("current").put("averageUtilization",
                        status.path("currentCPUUtilizationPercentage").asInt());
            }
            if (current.isEmpty()) {
                outStatus.putNull("currentMetrics");
            } else {
                outStatus.set("currentMetrics", current);
            }
            JsonNode conditions = annotationValue(annotations, CONDITIONS_ANNOTATION);
            if (conditions != null && conditions.isArray() && !conditions.isEmpty()) {
                outStatus.set("conditions", conditions);
            }
            HPA.defaults(v2); // kube defaults the v2 object when it reads it back
            return v2;
        }
    };

    private static void dropRoundTripAnnotations(ObjectNode meta) {
        if (meta.get("annotations") instanceof ObjectNode annotations) {
            ROUND_TRIP_ANNOTATIONS.forEach(annotations::remove);
            if (annotations.isEmpty()) {
                meta.remove("annotations");
            }
        }
    }

    private static JsonNode annotationValue(JsonNode annotations, String key) {
        JsonNode value = annotations.get(key);
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return Json.parse(value.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null; // kube ignores an annotation it cannot decode
        }
    }

    private static JsonNode annotationArray(JsonNode annotations, String key) {
        JsonNode value = annotationValue(annotations, key);
        return value != null && value.isArray() ? value : Json.array();
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(field, v.deepCopy());
        }
    }

    /** A v2 MetricSpec in autoscaling/v1's (v2beta1) form. */
    private static ObjectNode metricToV1(JsonNode m) {
        ObjectNode out = Json.object();
        String type = m.path("type").asText();
        out.put("type", type);
        JsonNode target;
        switch (type) {
            case "Resource", "ContainerResource" -> {
                String f = type.equals("Resource") ? "resource" : "containerResource";
                JsonNode src = m.path(f);
                ObjectNode o = out.putObject(f);
                copyAs(src, "name", o, "name");
                target = src.path("target");
                copyAs(target, "averageUtilization", o, "targetAverageUtilization");
                copyAs(target, "averageValue", o, "targetAverageValue");
                copyAs(src, "container", o, "container");
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                copyAs(src.path("metric"), "name", o, "metricName");
                copyAs(src.path("target"), "averageValue", o, "targetAverageValue");
                copyAs(src.path("metric"), "selector", o, "selector");
            }
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                copyAs(src, "describedObject", o, "target");
                copyAs(src.path("metric"), "name", o, "metricName");
                copyAs(src.path("target"), "value", o, "targetValue");
                copyAs(src.path("metric"), "selector", o, "selector");
                copyAs(src.path("target"), "averageValue", o, "averageValue");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                copyAs(src.path("metric"), "name", o, "metricName");
                copyAs(src.path("metric"), "selector", o, "metricSelector");
                copyAs(src.path("target"), "value", o, "targetValue");
                copyAs(src.path("target"), "averageValue", o, "targetAverageValue");
            }
            default -> {
            }
        }
        return out;
    }

    /** An autoscaling/v1 (v2beta1 form) MetricSpec as v2. */
    private static ObjectNode metricFromV1(JsonNode m) {
        ObjectNode out = Json.object();
        String type = m.path("type").asText();
        out.put("type", type);
        switch (type) {
            case "Resource", "ContainerResource" -> {
                String f = type.equals("Resource") ? "resource" : "containerResource";
                JsonNode src = m.path(f);
                ObjectNode o = out.putObject(f);
                copyAs(src, "name", o, "name");
                copyAs(src, "container", o, "container");
                ObjectNode target = o.putObject("target");
                target.put("type", src.hasNonNull("targetAverageUtilization") ? "Utilization" : "AverageValue");
                copyAs(src, "targetAverageValue", target, "averageValue");
                copyAs(src, "targetAverageUtilization", target, "averageUtilization");
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                ObjectNode metric = o.putObject("metric");
                copyAs(src, "metricName", metric, "name");
                copyAs(src, "selector", metric, "selector");
                ObjectNode target = o.putObject("target");
                target.put("type", "AverageValue");
                copyAs(src, "targetAverageValue", target, "averageValue");
            }
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                copyAs(src, "target", o, "describedObject");
                ObjectNode target = o.putObject("target");
                target.put("type", src.hasNonNull("averageValue") ? "AverageValue" : "Value");
                copyAs(src, "targetValue", target, "value");
                copyAs(src, "averageValue", target, "averageValue");
                ObjectNode metric = o.putObject("metric");
                copyAs(src, "metricName", metric, "name");
                copyAs(src, "selector", metric, "selector");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                ObjectNode metric = o.putObject("metric");
                copyAs(src, "metricName", metric, "name");
                copyAs(src, "metricSelector", metric, "selector");
                ObjectNode target = o.putObject("target");
                target.put("type", src.hasNonNull("targetValue") ? "Value" : "AverageValue");
                copyAs(src, "targetValue", target, "value");
                copyAs(src, "targetAverageValue", target, "averageValue");
            }
            default -> {
            }
        }
        return out;
    }

    /** A v2 MetricStatus in autoscaling/v1's (v2beta1) form. */
    private static ObjectNode metricStatusToV1(JsonNode m) {
        ObjectNode out = Json.object();
        String type = m.path("type").asText();
        out.put("type", type);
        switch (type) {
            case "Resource", "ContainerResource" -> {
                String f = type.equals("Resource") ? "resource" : "containerResource";
                JsonNode src = m.path(f);
                ObjectNode o = out.putObject(f);
                copyAs(src, "name", o, "name");
                copyAs(src.path("current"), "averageUtilization", o, "currentAverageUtilization");
                copyAs(src.path("current"), "averageValue", o, "currentAverageValue");
                copyAs(src, "container", o, "container");
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                copyAs(src.path("metric"), "name", o, "metricName");
                copyAs(src.path("current"), "averageValue", o, "currentAverageValue");
                copyAs(src.path("metric"), "selector", o, "selector");
            }
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                copyAs(src, "describedObject", o, "target");
                copyAs(src.path("metric"), "name", o, "metricName");
                copyAs(src.path("current"), "value", o, "currentValue");
                copyAs(src.path("metric"), "selector", o, "selector");
                copyAs(src.path("current"), "averageValue", o, "averageValue");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                copyAs(src.path("metric"), "name", o, "metricName");
                copyAs(src.path("metric"), "selector", o, "metricSelector");
                copyAs(src.path("current"), "value", o, "currentValue");
                copyAs(src.path("current"), "averageValue", o, "currentAverageValue");
            }
            default -> {
            }
        }
        return out;
    }

    /** An autoscaling/v1 (v2beta1 form) MetricStatus as v2. */
    private static ObjectNode metricStatusFromV1(JsonNode m) {
        ObjectNode out = Json.object();
        String type = m.path("type").asText();
        out.put("type", type);
        switch (type) {
            case "Resource", "ContainerResource" -> {
                String f = type.equals("Resource") ? "resource" : "containerResource";
                JsonNode src = m.path(f);
                ObjectNode o = out.putObject(f);
                copyAs(src, "name", o, "name");
                copyAs(src, "container", o, "container");
                ObjectNode current = o.putObject("current");
                copyAs(src, "currentAverageValue", current, "averageValue");
                copyAs(src, "currentAverageUtilization", current, "averageUtilization");
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                ObjectNode metric = o.putObject("metric");
                copyAs(src, "metricName", metric, "name");
                copyAs(src, "selector", metric, "selector");
                copyAs(src, "currentAverageValue", o.putObject("current"), "averageValue");
            }
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                ObjectNode metric = o.putObject("metric");
                copyAs(src, "metricName", metric, "name");
                copyAs(src, "selector", metric, "selector");
                ObjectNode current = o.putObject("current");
                copyAs(src, "currentValue", current, "value");
                copyAs(src, "averageValue", current, "averageValue");
                copyAs(src, "target", o, "describedObject");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                ObjectNode metric = o.putObject("metric");
                copyAs(src, "metricName", metric, "name");
                copyAs(src, "metricSelector", metric, "selector");
                ObjectNode current = o.putObject("current");
                copyAs(src, "currentValue", current, "value");
                copyAs(src, "currentAverageValue", current, "averageValue");
            }
            default -> {
            }
        }
        return out;
    }

    private static void copyAs(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(as, v.deepCopy());
        }
    }

    /**
     * The behavior as kube writes it in the v1 annotation: {@code json.Marshal} of its internal type, which has no
     * json tags, so the keys are the Go field names ({@code ScaleUp}, {@code StabilizationWindowSeconds}...).
     */
    private static ObjectNode behaviorToGo(JsonNode behavior) {
        ObjectNode out = Json.object();
        for (String direction : List.of("scaleUp", "scaleDown")) {
            JsonNode rules = behavior.get(direction);
            String key = direction.equals("scaleUp") ? "ScaleUp" : "ScaleDown";
            if (rules == null || rules.isNull()) {
                out.putNull(key);
                continue;
            }
            ObjectNode r = out.putObject(key);
            r.set("StabilizationWindowSeconds", orNull(rules.get("stabilizationWindowSeconds")));
            r.set("SelectPolicy", orNull(rules.get("selectPolicy")));
            ArrayNode policies = Json.array();
            for (JsonNode p : rules.path("policies")) {
                policies.addObject().put("Type", p.path("type").asText()).put("Value", p.path("value").asInt())
                        .put("PeriodSeconds", p.path("periodSeconds").asInt());
            }
            r.set("Policies", rules.has("policies") ? policies : Json.object().nullNode());
        }
        return out;
    }

    private static ObjectNode behaviorFromGo(JsonNode go) {
        ObjectNode out = Json.object();
        for (String key : List.of("ScaleUp", "ScaleDown")) {
            JsonNode rules = go.get(key);
            if (rules == null || !rules.isObject()) {
                continue;
            }
            ObjectNode r = out.putObject(key.equals("ScaleUp") ? "scaleUp" : "scaleDown");
            copyAs(rules, "StabilizationWindowSeconds", r, "stabilizationWindowSeconds");
            copyAs(rules, "SelectPolicy", r, "selectPolicy");
            if (rules.path("Policies").isArray()) {
                ArrayNode policies = r.putArray("policies");
                for (JsonNode p : rules.path("Policies")) {
                    policies.addObject().put("type", p.path("Type").asText()).put("value", p.path("Value").asInt())
                            .put("periodSeconds", p.path("PeriodSeconds").asInt());
                }
            }
        }
        return out;
    }

    private static JsonNode orNull(JsonNode v) {
        return v == null ? Json.object().nullNode() : v;
    }
}
