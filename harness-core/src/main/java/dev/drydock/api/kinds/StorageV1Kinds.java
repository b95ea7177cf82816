package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.util.List;
import java.util.Map;

/**
 * {@code storage.k8s.io/v1} StorageClass, as kube serves it: {@code reclaimPolicy} defaults to Delete and
 * {@code volumeBindingMode} to Immediate, the provisioner is a qualified name, and provisioner, parameters, reclaim
 * policy and binding mode cannot change. Stored and served; no provisioner runs behind it.
 */
public final class StorageV1Kinds {

    static final Resource STORAGE_CLASSES = new Resource("storage.k8s.io", "v1", "storageclasses", "StorageClass",
            false);

    private static final int MAX_PARAMETERS = 512;
    private static final int MAX_PARAMETERS_SIZE = 256 * 1024;

    private StorageV1Kinds() {
    }

    /** Adds StorageClass. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(STORAGE_CLASSES).shortNames("sc").strategy(STORAGE_CLASS).build());
    }

    static final KindStrategy STORAGE_CLASS = new KindStrategy() {
        @Override
        public void defaults(ObjectNode sc) {
            if (!sc.hasNonNull("reclaimPolicy")) {
                sc.put("reclaimPolicy", "Delete");
            }
            if (!sc.hasNonNull("volumeBindingMode")) {
                sc.put("volumeBindingMode", "Immediate");
            }
        }

        @Override
        public void validate(ObjectNode sc, List<FieldError> errors) {
            String provisioner = sc.path("provisioner").asText("");
            if (provisioner.isEmpty()) {
                errors.add(FieldError.required("provisioner", ""));
            } else {
                Validation.qualifiedName("provisioner", provisioner.toLowerCase(), errors);
            }
            JsonNode parameters = sc.path("parameters");
            if (parameters.size() > MAX_PARAMETERS) {
                errors.add(FieldError.tooLong("parameters", MAX_PARAMETERS));
            } else {
                long size = 0;
                for (Map.Entry<String, JsonNode> e : parameters.properties()) {
                    if (e.getKey().isEmpty()) {
                        errors.add(FieldError.invalid("parameters", e.getKey(), "field can not be empty."));
                    }
                    size += e.getKey().length() + e.getValue().asText().length();
                }
                if (size > MAX_PARAMETERS_SIZE) {
                    errors.add(FieldError.tooLong("parameters", MAX_PARAMETERS_SIZE));
                }
            }
            String reclaim = sc.path("reclaimPolicy").asText("");
            if (!reclaim.isEmpty() && !reclaim.equals("Delete") && !reclaim.equals("Retain")) {
                errors.add(FieldError.notSupported("reclaimPolicy", reclaim, "supported values: \"Delete\", \"Retain\""));
            }
            String mode = sc.path("volumeBindingMode").asText("");
            if (!mode.equals("Immediate") && !mode.equals("WaitForFirstConsumer")) {
                errors.add(FieldError.notSupported("volumeBindingMode", mode,
                        "supported values: \"Immediate\", \"WaitForFirstConsumer\""));
            }
        }

        @Override
        public void validateUpdate(ObjectNode sc, ObjectNode old, List<FieldError> errors) {
            if (!Semantic.equal(nonEmpty(sc.path("parameters")), nonEmpty(old.path("parameters")))) {
                errors.add(FieldError.forbidden("parameters", "updates to parameters are forbidden."));
            }
            if (!sc.path("provisioner").asText("").equals(old.path("provisioner").asText(""))) {
                errors.add(FieldError.forbidden("provisioner", "updates to provisioner are forbidden."));
            }
            if (!sc.path("reclaimPolicy").asText("").equals(old.path("reclaimPolicy").asText(""))) {
                errors.add(FieldError.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
            }
            String mode = sc.path("volumeBindingMode").asText("");
            if (!mode.equals(old.path("volumeBindingMode").asText(""))) {
                errors.add(FieldError.invalid("volumeBindingMode", mode, "field is immutable"));
            }
        }
    };

    /** An absent map and an empty one are the same parameters. */
    private static JsonNode nonEmpty(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode() : n;
    }
}
