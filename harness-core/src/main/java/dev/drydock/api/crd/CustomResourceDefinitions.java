package dev.drydock.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.schema.CrdValidation;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code apiextensions.k8s.io/v1} CustomResourceDefinition kind. A CRD that is created is served at once: its
 * served versions join the registry before the create answers, and it is {@code NamesAccepted} and
 * {@code Established}, as kube's apiextensions controllers make it within moments. Deleting a CRD deletes its
 * custom resources first (honouring their finalizers), as kube's {@code customresourcecleanup} finalizer does.
 */
public final class CustomResourceDefinitions {

    /** The CRD resource. */
    public static final Resource RESOURCE = Resource.CUSTOM_RESOURCE_DEFINITIONS;
    /** The finalizer kube puts on a CRD being deleted until its custom resources are gone. */
    static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private CustomResourceDefinitions() {
    }

    /** The CRD kind, whose writes keep the registry's custom kinds in step through {@code storage}. */
    public static KindDescriptor descriptor(ResourceStorage storage, ScheduledExecutorService timer) {
        CustomResourceKinds kinds = new CustomResourceKinds(storage, timer);
        return KindDescriptor.of(RESOURCE).shortNames("crd", "crds").categories(List.of("api-extensions"))
                .status().strategy(new Strategy(kinds, storage)).build();
    }

    private static final class Strategy implements KindStrategy {

        private final CustomResourceKinds kinds;
        private final ResourceStorage storage;

        Strategy(CustomResourceKinds kinds, ResourceStorage storage) {
            this.kinds = kinds;
            this.storage = storage;
        }

        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void defaults(ObjectNode crd) {
            CrdValidation.applyDefaults(crd);
        }

        @Override
        public void prepareForCreate(ObjectNode crd) {
            ObjectNode status = crd.putObject("status");
            ArrayNode conditions = status.putArray("conditions");
            Conditions.set(conditions, "NamesAccepted", "True", "NoConflicts", "no conflicts found", null,
                    storage.now());
            Conditions.set(conditions, "Established", "True", "InitialNamesAccepted",
                    "the initial names have been accepted", null, storage.now());
            status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
            ArrayNode stored = status.putArray("storedVersions");
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("storage").asBoolean(false)) {
                    stored.add(v.path("name").asText());
                }
            }
        }

        @Override
        public void validate(ObjectNode crd, List<FieldError> errors) {
            errors.addAll(CrdValidation.validate(crd));
        }

        @Override
        public void validateUpdate(ObjectNode crd, ObjectNode old, List<FieldError> errors) {
            for (String field : List.of("group", "scope")) {
                if (!crd.path("spec").path(field).equals(old.path("spec").path(field))) {
                    errors.add(FieldError.invalid("spec." + field, crd.path("spec").path(field).asText(),
                            "field is immutable"));
                }
            }
        }

        @Override
        public void prepareForDelete(ObjectNode crd) {
            if (Json.isDeleting(crd)) {
                return;
            }
            ArrayNode finalizers = Json.withArray(Json.with(crd, "metadata"), "finalizers");
            boolean has = false;
            for (JsonNode f : finalizers) {
                has |= f.asText().equals(CLEANUP_FINALIZER);
            }
            if (!has) {
                finalizers.add(CLEANUP_FINALIZER);
            }
            Conditions.set(Json.withArray(Json.with(crd, "status"), "conditions"), "Terminating", "True",
                    "InstanceDeletionInProgress", "CustomResource deletion is in progress", null, storage.now());
        }

        @Override
        public void afterCommit(ObjectNode previous, ObjectNode current) {
            kinds.sync(previous, current);
        }
    }
}
