package dev.drydock.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.Validation;
import dev.drydock.api.table.JsonPath;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
            ObjectNode spec = Json.with(crd, "spec");
            ObjectNode names = Json.with(spec, "names");
            String kind = names.path("kind").asText("");
            if (!names.has("singular") && !kind.isEmpty()) {
                names.put("singular", kind.toLowerCase());
            }
            if (!names.has("listKind") && !kind.isEmpty()) {
                names.put("listKind", kind + "List");
            }
            ObjectNode conversion = Json.with(spec, "conversion");
            if (!conversion.has("strategy")) {
                conversion.put("strategy", "None");
            }
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
            validateSpec(crd, errors);
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

    /** The rules of kube's CRD validation that users meet most; the schema's own rules come with it. */
    static void validateSpec(ObjectNode crd, List<FieldError> errors) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asText("");
        String name = Json.name(crd);
        if (group.isEmpty()) {
            errors.add(FieldError.required("spec.group", ""));
        } else if (!group.contains(".")) {
            errors.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
        } else {
            Validation.dns1123Subdomain("spec.group", group, errors);
        }
        if (plural.isEmpty()) {
            errors.add(FieldError.required("spec.names.plural", ""));
        } else {
            Validation.dns1123Label("spec.names.plural", plural, errors);
        }
        String singular = names.path("singular").asText("");
        if (!singular.isEmpty()) {
            Validation.dns1123Label("spec.names.singular", singular, errors);
        }
        if (names.path("kind").asText("").isEmpty()) {
            errors.add(FieldError.required("spec.names.kind", ""));
        }
        if (!plural.isEmpty() && !group.isEmpty() && name != null && !name.equals(plural + "." + group)) {
            errors.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
        String scope = spec.path("scope").asText("");
        if (scope.isEmpty()) {
            errors.add(FieldError.required("spec.scope", ""));
        } else if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
            errors.add(FieldError.notSupported("spec.scope", scope, "supported values: \"Cluster\", \"Namespaced\""));
        }
        JsonNode versions = spec.path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            errors.add(FieldError.invalid("spec.versions", "null", "must have exactly one version marked as storage"
                    + " version"));
            return;
        }
        int storageVersions = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            String path = "spec.versions[" + i + "]";
            String version = v.path("name").asText("");
            if (version.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            } else if (!version.matches("[a-z]([-a-z0-9]*[a-z0-9])?") || version.length() > 63) {
                errors.add(FieldError.invalid(path + ".name", version, "a DNS-1035 label must consist of lower case "
                        + "alphanumeric characters or '-', start with an alphabetic character, and end with an "
                        + "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')"));
            } else if (!seen.add(version)) {
                errors.add(FieldError.duplicate(path + ".name", version));
            }
            if (v.path("storage").asBoolean(false)) {
                storageVersions++;
            }
            if (v.path("schema").path("openAPIV3Schema").isMissingNode()) {
                errors.add(FieldError.required(path + ".schema.openAPIV3Schema", "schemas are required"));
            }
            JsonNode columns = v.path("additionalPrinterColumns");
            for (int c = 0; c < columns.size(); c++) {
                String jsonPath = columns.get(c).path("jsonPath").asText("");
                try {
                    JsonPath.parse(jsonPath);
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.invalid(path + ".additionalPrinterColumns[" + c + "].jsonPath", jsonPath,
                            "must be a simple json path"));
                }
            }
        }
        if (storageVersions != 1) {
            errors.add(FieldError.invalid("spec.versions", versions.toString(), "must have exactly one version "
                    + "marked as storage version"));
        }
    }
}
