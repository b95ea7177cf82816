package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.List;

/**
 * policy/v1 PodDisruptionBudget (with {@code status}), with kube's validation ({@code pkg/apis/policy/validation}):
 * at most one of {@code minAvailable} and {@code maxUnavailable}, each a non-negative integer or a percentage of at
 * most 100, a valid selector. Its status is the disruption controller's; the pods' {@code eviction} subresource
 * ({@link PodEviction}) honours it.
 */
public final class PolicyV1Kinds {

    private PolicyV1Kinds() {
    }

    /** Adds the policy/v1 kinds to {@code registry}. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(Resource.PODDISRUPTIONBUDGETS).shortNames("pdb").status()
                .strategy(PDB).build());
    }

    static final KindStrategy PDB = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void prepareForCreate(ObjectNode pdb) {
            // the status is the controller's; its counters have no omitempty, so a new PDB shows them as 0
            ObjectNode status = pdb.putObject("status");
            status.put("disruptionsAllowed", 0);
            status.put("currentHealthy", 0);
            status.put("desiredHealthy", 0);
            status.put("expectedPods", 0);
        }

        @Override
        public void validate(ObjectNode pdb, List<FieldError> errors) {
            JsonNode spec = pdb.path("spec");
            if (spec.hasNonNull("minAvailable") && spec.hasNonNull("maxUnavailable")) {
                errors.add(FieldError.invalidRaw("spec", KindChecks.json(spec),
                        "minAvailable and maxUnavailable cannot be both set"));
            }
            KindChecks.intOrPercent("spec.minAvailable", spec.get("minAvailable"), errors);
            KindChecks.intOrPercent("spec.maxUnavailable", spec.get("maxUnavailable"), errors);
            KindChecks.labelSelector("spec.selector", spec.get("selector"), errors);
            JsonNode policy = spec.get("unhealthyPodEvictionPolicy");
            if (policy != null && !policy.isNull() && !policy.asText().equals("AlwaysAllow")
                    && !policy.asText().equals("IfHealthyBudget")) {
                errors.add(FieldError.notSupported("spec.unhealthyPodEvictionPolicy", policy.asText(),
                        "supported values: \"AlwaysAllow\", \"IfHealthyBudget\""));
            }
            JsonNode status = pdb.path("status");
            for (String f : List.of("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods")) {
                KindChecks.nonNegative("status." + f, status.get(f), errors);
            }
        }
    };

    /** The PDB's {@code DisruptionAllowed} condition, set as kube's {@code UpdateDisruptionAllowedCondition}. */
    static void disruptionAllowedCondition(ObjectNode pdb, String now) {
        ObjectNode status = Json.with(pdb, "status");
        boolean allowed = status.path("disruptionsAllowed").asLong(0) > 0;
        String value = allowed ? "True" : "False";
        String reason = allowed ? "SufficientPods" : "InsufficientPods";
        com.fasterxml.jackson.databind.node.ArrayNode conditions = Json.withArray(status, "conditions");
        long generation = status.path("observedGeneration").asLong(0);
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals("DisruptionAllowed") && c instanceof ObjectNode cond) {
                if (!cond.path("status").asText().equals(value)) {
                    cond.put("lastTransitionTime", now);
                }
                cond.put("status", value).put("reason", reason).put("message", "")
                        .put("observedGeneration", generation);
                return;
            }
        }
        conditions.addObject().put("type", "DisruptionAllowed").put("status", value)
                .put("observedGeneration", generation).put("lastTransitionTime", now).put("reason", reason)
                .put("message", "");
    }
}
