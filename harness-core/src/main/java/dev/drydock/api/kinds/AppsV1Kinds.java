package dev.drydock.api.kinds;

import static dev.drydock.api.kinds.KindChecks.goIntOrString;
import static dev.drydock.api.kinds.KindChecks.goLabelSelector;
import static dev.drydock.api.kinds.KindChecks.intOrPercent;
import static dev.drydock.api.kinds.KindChecks.intOrPercentValue;
import static dev.drydock.api.kinds.KindChecks.nonNegative;
import static dev.drydock.api.kinds.KindChecks.putIfAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.ScaleSubresource;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.util.List;

/**
 * The apps/v1 kinds: Deployment, ReplicaSet, StatefulSet (with {@code status} and {@code scale}), DaemonSet (with
 * {@code status}; kube gives it no {@code scale}) and ControllerRevision, with kube's apps/v1 defaults
 * ({@code pkg/apis/apps/v1/defaults.go}), validation ({@code pkg/apis/apps/validation}) and update rules: the
 * selector of every workload is immutable, a StatefulSet's spec is immutable but for its replicas, template, update
 * strategy, ordinals, PVC retention policy and minReadySeconds, and a ControllerRevision's data is immutable.
 */
public final class AppsV1Kinds {

    /** apps/v1 daemonsets. */
    public static final Resource DAEMONSETS = new Resource("apps", "v1", "daemonsets", "DaemonSet", true);
    /** apps/v1 controllerrevisions. */
    public static final Resource CONTROLLERREVISIONS = new Resource("apps", "v1", "controllerrevisions",
            "ControllerRevision", true);

    private AppsV1Kinds() {
    }

    /** Adds the apps/v1 kinds to {@code registry}. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(Resource.DEPLOYMENTS).shortNames("deploy").categories(KindDescriptor.ALL)
                .status().subresource("scale", new ScaleSubresource()).strategy(DEPLOYMENT).build());
        registry.add(KindDescriptor.of(Resource.REPLICASETS).shortNames("rs").categories(KindDescriptor.ALL)
                .status().subresource("scale", new ScaleSubresource()).strategy(REPLICASET)
                .field("status.replicas", rs -> Long.toString(rs.path("status").path("replicas").asLong(0)))
                .build());
        registry.add(KindDescriptor.of(Resource.STATEFULSETS).shortNames("sts").categories(KindDescriptor.ALL)
                .status().subresource("scale", new ScaleSubresource()).strategy(STATEFULSET).build());
        registry.add(KindDescriptor.of(DAEMONSETS).shortNames("ds").categories(KindDescriptor.ALL).status()
                .strategy(DAEMONSET).build());
        registry.add(KindDescriptor.of(CONTROLLERREVISIONS).strategy(CONTROLLER_REVISION).build());
    }

    /** What every apps/v1 workload shares: generation, a status of the controller's, an immutable selector. */
    private abstract static class Workload implements KindStrategy {
        /** The status fields Go's JSON writes even at zero (no omitempty), as kube answers a new object's status. */
        private final List<String> zeroStatus;

        Workload(String... zeroStatus) {
            this.zeroStatus = List.of(zeroStatus);
        }

        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void prepareForCreate(ObjectNode obj) {
            ObjectNode status = obj.putObject("status"); // kube's PrepareForCreate: the status is the controller's
            zeroStatus.forEach(f -> status.put(f, 0));
        }

        @Override
        public void validateUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
            // apps/v1 strategies' ValidateUpdate: "disallow mutation of selector"
            KindChecks.immutable("spec.selector", obj.path("spec").get("selector"),
                    old.path("spec").get("selector"), KindChecks::goLabelSelector, errors);
        }
    }

    static final KindStrategy REPLICASET = new Workload("replicas") {
        @Override
        public void defaults(ObjectNode rs) {
            ObjectNode spec = Json.with(rs, "spec");
            putIfAbsent(spec, "replicas", 1);
            KindStrategies.defaultPodSpec(Json.with(spec, "template", "spec"));
        }

        @Override
        public void validate(ObjectNode rs, List<FieldError> errors) {
            JsonNode spec = rs.path("spec");
            nonNegative("spec.replicas", spec.get("replicas"), errors);
            nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"), errors);
            LabelSelector selector = selector(spec, "deployment", "invalid label selector", errors);
            KindChecks.podTemplate("spec.template", spec.path("template"), selector, "ReplicaSet", true, errors);
        }
    };

    static final KindStrategy DEPLOYMENT = new Workload() {
        @Override
        public void defaults(ObjectNode d) {
            ObjectNode spec = Json.with(d, "spec");
            putIfAbsent(spec, "replicas", 1);
            ObjectNode strategy = Json.with(spec, "strategy");
            putIfAbsent(strategy, "type", "RollingUpdate");
            if (strategy.path("type").asText().equals("RollingUpdate")) {
                ObjectNode ru = Json.with(strategy, "rollingUpdate");
                putIfAbsent(ru, "maxUnavailable", "25%");
                putIfAbsent(ru, "maxSurge", "25%");
            }
            putIfAbsent(spec, "revisionHistoryLimit", 10);
            putIfAbsent(spec, "progressDeadlineSeconds", 600);
            KindStrategies.defaultPodSpec(Json.with(spec, "template", "spec"));
        }

        @Override
        public void validate(ObjectNode d, List<FieldError> errors) {
            JsonNode spec = d.path("spec");
            nonNegative("spec.replicas", spec.get("replicas"), errors);
            LabelSelector selector = selector(spec, "deployment", "invalid label selector", errors);
            KindChecks.podTemplate("spec.template", spec.path("template"), selector, "ReplicaSet", true, errors);
            deploymentStrategy(spec.path("strategy"), errors);
            nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"), errors);
            nonNegative("spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"), errors);
            JsonNode deadline = spec.get("progressDeadlineSeconds");
            if (deadline != null && deadline.isNumber()) {
                nonNegative("spec.progressDeadlineSeconds", deadline, errors);
                if (deadline.asLong() <= spec.path("minReadySeconds").asLong(0)) {
                    errors.add(FieldError.invalidRaw("spec.progressDeadlineSeconds", deadline.asText(),
                            "must be greater than minReadySeconds"));
                }
            }
        }

        private void deploymentStrategy(JsonNode strategy, List<FieldError> errors) {
            String type = strategy.path("type").asText("");
            switch (type) {
                case "Recreate" -> {
                    if (strategy.hasNonNull("rollingUpdate")) {
                        errors.add(FieldError.forbidden("spec.strategy.rollingUpdate",
                                "may not be specified when strategy `type` is 'Recreate'"));
                    }
                }
                case "RollingUpdate" -> {
                    JsonNode ru = strategy.get("rollingUpdate");
                    if (ru == null || ru.isNull()) {
                        errors.add(FieldError.required("spec.strategy.rollingUpdate",
                                "this should be defaulted and never be nil"));
                        return;
                    }
                    String path = "spec.strategy.rollingUpdate";
                    intOrPercent(path + ".maxUnavailable", ru.get("maxUnavailable"), errors);
                    intOrPercent(path + ".maxSurge", ru.get("maxSurge"), errors);
                    if (intOrPercentValue(ru.get("maxUnavailable")) == 0 && intOrPercentValue(ru.get("maxSurge")) == 0) {
                        errors.add(FieldError.invalidRaw(path + ".maxUnavailable", goIntOrString(ru.get("maxUnavailable")),
                                "may not be 0 when `maxSurge` is 0"));
                    }
                }
                default -> errors.add(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.strategy",
                        "apps.DeploymentStrategy{Type:" + KindChecks.goQuote(type) + ", RollingUpdate:"
                                + (strategy.hasNonNull("rollingUpdate") ? KindChecks.json(strategy.get("rollingUpdate"))
                                : "(*apps.RollingUpdateDeployment)(nil)") + "}",
                        "supported values: \"Recreate\", \"RollingUpdate\"", true));
            }
        }
    };

    static final KindStrategy STATEFULSET = new Workload("replicas", "availableReplicas") {
        @Override
        public boolean nameIsLabel() {
            return true; // ValidateStatefulSetName: a DNS label, as its pods' hostnames are
        }

        @Override
        public void defaults(ObjectNode sts) {
            ObjectNode spec = Json.with(sts, "spec");
            putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
            ObjectNode strategy = Json.with(spec, "updateStrategy");
            if (!strategy.hasNonNull("type")) {
                strategy.put("type", "RollingUpdate");
                Json.with(strategy, "rollingUpdate");
            }
            if (strategy.path("type").asText().equals("RollingUpdate") && strategy.path("rollingUpdate").isObject()) {
                putIfAbsent((ObjectNode) strategy.get("rollingUpdate"), "partition", 0);
            }
            ObjectNode retention = Json.with(spec, "persistentVolumeClaimRetentionPolicy");
            putIfAbsent(retention, "whenDeleted", "Retain");
            putIfAbsent(retention, "whenScaled", "Retain");
            putIfAbsent(spec, "replicas", 1);
            putIfAbsent(spec, "revisionHistoryLimit", 10);
            KindStrategies.defaultPodSpec(Json.with(spec, "template", "spec"));
            for (JsonNode claim : spec.path("volumeClaimTemplates")) {
                if (claim instanceof ObjectNode pvc) {
                    // core/v1 PersistentVolumeClaim defaults, as the StatefulSet's generated defaulter applies them
                    putIfAbsent(Json.with(pvc, "spec"), "volumeMode", "Filesystem");
                    putIfAbsent(Json.with(pvc, "status"), "phase", "Pending");
                }
            }
        }

        @Override
        public void validate(ObjectNode sts, List<FieldError> errors) {
            JsonNode spec = sts.path("spec");
            String policy = spec.path("podManagementPolicy").asText("");
            if (policy.isEmpty()) {
                errors.add(FieldError.required("spec.podManagementPolicy", ""));
            } else if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
                errors.add(FieldError.invalid("spec.podManagementPolicy", policy,
                        "must be 'OrderedReady' or 'Parallel'"));
            }
            updateStrategy(spec.path("updateStrategy"), errors);
            JsonNode retention = spec.path("persistentVolumeClaimRetentionPolicy");
            for (String when : List.of("whenDeleted", "whenScaled")) {
                String v = retention.path(when).asText("");
                if (retention.isObject() && !v.equals("Retain") && !v.equals("Delete")) {
                    errors.add(FieldError.notSupported("spec.persistentVolumeClaimRetentionPolicy." + when, v,
                            "supported values: \"Retain\", \"Delete\""));
                }
            }
            nonNegative("spec.replicas", spec.get("replicas"), errors);
            nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"), errors);
            nonNegative("spec.ordinals.start", spec.path("ordinals").get("start"), errors);
            LabelSelector selector = selector(spec, "statefulset", "", errors);
            JsonNode template = spec.path("template");
            // ValidatePodTemplateSpecForStatefulSet does not validate the pod spec (kube leaves that to the pods)
            KindChecks.podTemplate("spec.template", template, selector, "StatefulSet", false, errors);
        }

        private void updateStrategy(JsonNode strategy, List<FieldError> errors) {
            String type = strategy.path("type").asText("");
            JsonNode ru = strategy.get("rollingUpdate");
            switch (type) {
                case "" -> errors.add(FieldError.required("spec.updateStrategy", ""));
                case "OnDelete" -> {
                    if (ru != null && !ru.isNull()) {
                        errors.add(FieldError.invalidRaw("spec.updateStrategy.rollingUpdate", KindChecks.json(ru),
                                "only allowed for updateStrategy 'RollingUpdate'"));
                    }
                }
                case "RollingUpdate" -> {
                    if (ru != null && ru.isObject()) {
                        nonNegative("spec.updateStrategy.rollingUpdate.partition", ru.get("partition"), errors);
                        JsonNode max = ru.get("maxUnavailable");
                        if (max != null && !max.isNull()) {
                            String path = "spec.updateStrategy.rollingUpdate.maxUnavailable";
                            intOrPercent(path, max, errors);
                            if (intOrPercentValue(max) == 0) {
                                errors.add(FieldError.invalidRaw(path, goIntOrString(max), "cannot be 0"));
                            }
                        }
                    }
                }
                default -> errors.add(FieldError.invalidRaw("spec.updateStrategy", KindChecks.json(strategy),
                        "must be 'RollingUpdate' or 'OnDelete'"));
            }
        }

        @Override
        public void validateUpdate(ObjectNode sts, ObjectNode old, List<FieldError> errors) {
            // ValidateStatefulSetUpdate: the spec but for these fields may not change (the selector included)
            ObjectNode now = sts.path("spec").deepCopy();
            ObjectNode before = old.path("spec").deepCopy();
            for (String mutable : List.of("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
                    "persistentVolumeClaimRetentionPolicy")) {
                now.remove(mutable);
                before.remove(mutable);
            }
            if (!Semantic.equal(now, before)) {
                errors.add(FieldError.forbidden("spec", "updates to statefulset spec for fields other than "
                        + "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
                        + "and 'minReadySeconds' are forbidden"));
            }
        }
    };

    static final KindStrategy DAEMONSET = new Workload("currentNumberScheduled", "numberMisscheduled",
            "desiredNumberScheduled", "numberReady") {
        @Override
        public void defaults(ObjectNode ds) {
            ObjectNode spec = Json.with(ds, "spec");
            ObjectNode strategy = Json.with(spec, "updateStrategy");
            putIfAbsent(strategy, "type", "RollingUpdate");
            if (strategy.path("type").asText().equals("RollingUpdate")) {
                ObjectNode ru = Json.with(strategy, "rollingUpdate");
                putIfAbsent(ru, "maxUnavailable", 1);
                putIfAbsent(ru, "maxSurge", 0);
            }
            putIfAbsent(spec, "revisionHistoryLimit", 10);
            KindStrategies.defaultPodSpec(Json.with(spec, "template", "spec"));
        }

        @Override
        public void validate(ObjectNode ds, List<FieldError> errors) {
            JsonNode spec = ds.path("spec");
            JsonNode selectorNode = spec.get("selector");
            KindChecks.labelSelector("spec.selector", selectorNode, errors);
            LabelSelector selector = KindChecks.selectorOrNull(selectorNode);
            JsonNode labels = spec.path("template").path("metadata").path("labels");
            if (selector != null && !selector.matches(labels)) {
                errors.add(FieldError.invalidRaw("spec.template.metadata.labels", KindChecks.goStringMap(labels),
                        "`selector` does not match template `labels`"));
            }
            if (selectorNode != null && selectorNode.isObject() && KindChecks.emptySelector(selectorNode)) {
                errors.add(FieldError.invalidRaw("spec.selector", goLabelSelector(selectorNode),
                        "empty selector is invalid for daemonset"));
            }
            // the template's labels against the selector are checked above, as kube's ValidateDaemonSetSpec does
            KindChecks.podTemplate("spec.template", spec.path("template"), null, "DaemonSet", true, errors);
            nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"), errors);
            updateStrategy(spec.path("updateStrategy"), errors);
            nonNegative("spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"), errors);
        }

        private void updateStrategy(JsonNode strategy, List<FieldError> errors) {
            String type = strategy.path("type").asText("");
            switch (type) {
                case "OnDelete" -> {
                }
                case "RollingUpdate" -> {
                    JsonNode ru = strategy.get("rollingUpdate");
                    String path = "spec.updateStrategy.rollingUpdate";
                    if (ru == null || ru.isNull()) {
                        errors.add(FieldError.required(path, ""));
                        return;
                    }
                    intOrPercent(path + ".maxUnavailable", ru.get("maxUnavailable"), errors);
                    intOrPercent(path + ".maxSurge", ru.get("maxSurge"), errors);
                    boolean unavailable = intOrPercentValue(ru.get("maxUnavailable")) != 0;
                    boolean surge = intOrPercentValue(ru.get("maxSurge")) != 0;
                    if (unavailable && surge) {
                        errors.add(FieldError.invalidRaw(path + ".maxSurge", goIntOrString(ru.get("maxSurge")),
                                "may not be set when maxUnavailable is non-zero"));
                    } else if (!unavailable && !surge) {
                        errors.add(FieldError.required(path + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
                    }
                }
                default -> errors.add(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.updateStrategy",
                        KindChecks.json(strategy), "supported values: \"RollingUpdate\", \"OnDelete\"", true));
            }
        }
    };

    static final KindStrategy CONTROLLER_REVISION = new KindStrategy() {
        @Override
        public void validate(ObjectNode revision, List<FieldError> errors) {
            JsonNode data = revision.get("data");
            if (data == null || data.isNull()) {
                errors.add(FieldError.required("data", "data is mandatory"));
            }
            nonNegative("revision", revision.get("revision"), errors);
        }

        @Override
        public void validateUpdate(ObjectNode revision, ObjectNode old, List<FieldError> errors) {
            // ValidateControllerRevisionUpdate checks the data only; kube lets the revision number change
            KindChecks.immutable("data", revision.get("data"), old.get("data"), KindChecks::json, errors);
        }
    };

    /**
     * The selector rules of Deployments, ReplicaSets and StatefulSets: required, a valid label selector, not empty;
     * returns the selector as kube's {@code LabelSelectorAsSelector} reads it (nothing when absent), or null when
     * that fails.
     */
    private static LabelSelector selector(JsonNode spec, String kindName, String invalidDetail,
                                          List<FieldError> errors) {
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            errors.add(FieldError.required("spec.selector", ""));
        } else {
            KindChecks.labelSelector("spec.selector", selector, errors);
            if (KindChecks.emptySelector(selector)) {
                errors.add(FieldError.invalidRaw("spec.selector", goLabelSelector(selector),
                        "empty selector is invalid for " + kindName));
            }
        }
        LabelSelector parsed = KindChecks.selectorOrNull(selector);
        if (parsed == null) {
            errors.add(FieldError.invalidRaw("spec.selector", goLabelSelector(selector), invalidDetail));
        }
        return parsed;
    }
}
