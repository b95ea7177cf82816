package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Admission;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.ResourceStorage;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.List;

/**
 * {@code scheduling.k8s.io/v1} PriorityClass, as kube serves it: {@code preemptionPolicy} defaults to
 * PreemptLowerPriority, {@code value} and {@code preemptionPolicy} cannot change, a user-defined class may not exceed
 * one billion nor take a {@code system-} name, only one class may be the {@code globalDefault} (kube's Priority
 * admission plugin), and the two system classes, {@code system-cluster-critical} and {@code system-node-critical},
 * exist from the start ({@link #systemPriorityClasses}) and cannot be deleted. drydock's scheduler does not preempt
 * yet, and pods are not given their class's priority.
 */
public final class SchedulingV1Kinds {

    static final Resource PRIORITY_CLASSES = new Resource("scheduling.k8s.io", "v1", "priorityclasses",
            "PriorityClass", false);

    /** kube's {@code HighestUserDefinablePriority}. */
    static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;
    /** kube's {@code SystemCriticalPriority}. */
    static final long SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
    private static final String SYSTEM_PREFIX = "system-";

    private SchedulingV1Kinds() {
    }

    /** Adds PriorityClass. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(PRIORITY_CLASSES).shortNames("pc").strategy(PRIORITY_CLASS)
                .admission(SchedulingV1Kinds::onlyOneGlobalDefault).build());
    }

    /** The PriorityClasses kube-apiserver creates at start: system-node-critical and system-cluster-critical. */
    public static List<ObjectNode> systemPriorityClasses() {
        return List.of(
                priorityClass("system-node-critical", SYSTEM_CRITICAL_PRIORITY + 1000,
                        "Used for system critical pods that must not be moved from their current node."),
                priorityClass("system-cluster-critical", SYSTEM_CRITICAL_PRIORITY,
                        "Used for system critical pods that must run in the cluster, but can be moved to another "
                                + "node if necessary."));
    }

    private static ObjectNode priorityClass(String name, long value, String description) {
        ObjectNode pc = Json.object().put("apiVersion", "scheduling.k8s.io/v1").put("kind", "PriorityClass");
        Json.with(pc, "metadata").put("name", name);
        pc.put("value", value);
        pc.put("description", description);
        return pc;
    }

    static final KindStrategy PRIORITY_CLASS = new KindStrategy() {
        @Override
        public void defaults(ObjectNode pc) {
            if (!pc.hasNonNull("preemptionPolicy")) {
                pc.put("preemptionPolicy", "PreemptLowerPriority");
            }
            if (!pc.hasNonNull("value")) {
                pc.put("value", 0); // an int32 without omitempty: always there
            }
        }

        @Override
        public void validate(ObjectNode pc, List<FieldError> errors) {
            String name = Json.name(pc);
            long value = pc.path("value").asLong();
            if (name != null && name.startsWith(SYSTEM_PREFIX)) {
                String why = knownSystemClass(name, value, pc.path("globalDefault").asBoolean(false));
                if (why != null) {
                    errors.add(FieldError.forbidden("metadata.name", "priority class names with '" + SYSTEM_PREFIX
                            + "' prefix are reserved for system use only. error: " + why));
                }
            } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
                errors.add(FieldError.forbidden("value", "maximum allowed value of a user defined priority is "
                        + HIGHEST_USER_DEFINABLE_PRIORITY));
            }
            String policy = pc.path("preemptionPolicy").asText("");
            if (policy.isEmpty()) {
                errors.add(FieldError.required("preemptionPolicy", ""));
            } else if (!policy.equals("PreemptLowerPriority") && !policy.equals("Never")) {
                errors.add(FieldError.notSupported("preemptionPolicy", policy,
                        "supported values: \"PreemptLowerPriority\", \"Never\""));
            }
        }

        @Override
        public void validateUpdate(ObjectNode pc, ObjectNode old, List<FieldError> errors) {
            if (pc.path("value").asLong() != old.path("value").asLong()) {
                errors.add(FieldError.forbidden("value", "may not be changed in an update."));
            }
            String policy = pc.path("preemptionPolicy").asText("");
            if (!policy.equals(old.path("preemptionPolicy").asText(""))) {
                errors.add(FieldError.invalid("preemptionPolicy", policy, "field is immutable"));
            }
        }

        @Override
        public void validateDelete(ObjectNode pc) {
            String name = Json.name(pc);
            if (systemPriorityClasses().stream().anyMatch(s -> Json.name(s).equals(name))) {
                throw forbidden(name, "this is a system priority class and cannot be deleted");
            }
        }
    };

    /** kube's {@code IsKnownSystemPriorityClass}: null if it is one, else why not. */
    private static String knownSystemClass(String name, long value, boolean globalDefault) {
        for (ObjectNode spc : systemPriorityClasses()) {
            if (Json.name(spc).equals(name)) {
                if (spc.path("value").asLong() != value) {
                    return "value of " + name + " PriorityClass must be " + spc.path("value").asLong();
                }
                if (globalDefault) {
                    return "globalDefault of " + name + " PriorityClass must be false";
                }
                return null;
            }
        }
        return name + " is not a known system priority class";
    }

    /**
     * kube's Priority admission plugin: a class may become the global default only while no other is; if several are
     * (after a race), the one of lowest value is the default.
     */
    private static void onlyOneGlobalDefault(Admission.Operation op, KindDescriptor kind, ObjectNode pc,
                                             ObjectNode old, ResourceStorage storage) {
        if (!pc.path("globalDefault").asBoolean(false)) {
            return;
        }
        ObjectNode current = null;
        for (ObjectNode other : storage.list(kind, null)) {
            if (other.path("globalDefault").asBoolean(false)
                    && (current == null || other.path("value").asLong() < current.path("value").asLong())) {
                current = other;
            }
        }
        if (current != null && (op == Admission.Operation.CREATE || !Json.name(current).equals(Json.name(pc)))) {
            throw forbidden(Json.name(pc), "PriorityClass " + Json.name(current) + " is already marked as default. "
                    + "Only one default can exist");
        }
    }

    /** kube's {@code NewForbidden} for a PriorityClass: 403, {@code priorityclasses... "name" is forbidden: why}. */
    private static ApiException forbidden(String name, String why) {
        return ApiException.of(403, "Forbidden", PRIORITY_CLASSES.qualifiedName() + " \"" + name
                + "\" is forbidden: " + why, PRIORITY_CLASSES, name);
    }
}
