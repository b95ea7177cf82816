package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Errors;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.auth.Attributes;
import dev.drydock.api.auth.Authorizer;
import dev.drydock.api.auth.Decision;
import dev.drydock.api.auth.RbacAuthorizer;
import dev.drydock.api.auth.UserInfo;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code authorization.k8s.io/v1}: SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview and
 * SelfSubjectRulesReview, create-only kinds answered, never stored, as kube's registries answer them: the request
 * comes back with its {@code status} filled by {@link Authorizer#forCluster} (the {@code system:masters} group, then
 * RBAC over the stored Roles and bindings). A review of a named user is answered from RBAC; a self review is of the
 * caller, which is drydock's admin while there is no authentication, so it is allowed everything.
 */
public final class AuthorizationV1Kinds {

    static final String GROUP = "authorization.k8s.io";
    static final Resource SUBJECT_ACCESS_REVIEWS = review("subjectaccessreviews", "SubjectAccessReview", false);
    static final Resource LOCAL_SUBJECT_ACCESS_REVIEWS = review("localsubjectaccessreviews",
            "LocalSubjectAccessReview", true);
    static final Resource SELF_SUBJECT_ACCESS_REVIEWS = review("selfsubjectaccessreviews",
            "SelfSubjectAccessReview", false);
    static final Resource SELF_SUBJECT_RULES_REVIEWS = review("selfsubjectrulesreviews", "SelfSubjectRulesReview",
            false);

    private AuthorizationV1Kinds() {
    }

    /** Adds the four review kinds. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(SUBJECT_ACCESS_REVIEWS)
                .createOnly((obj, req, storage) -> subjectAccessReview(obj, storage, false)).build());
        registry.add(KindDescriptor.of(LOCAL_SUBJECT_ACCESS_REVIEWS)
                .createOnly((obj, req, storage) -> subjectAccessReview(obj, storage, true)).build());
        registry.add(KindDescriptor.of(SELF_SUBJECT_ACCESS_REVIEWS)
                .createOnly(AuthorizationV1Kinds::selfSubjectAccessReview).build());
        registry.add(KindDescriptor.of(SELF_SUBJECT_RULES_REVIEWS)
                .createOnly(AuthorizationV1Kinds::selfSubjectRulesReview).build());
    }

    private static Resource review(String plural, String kind, boolean namespaced) {
        return new Resource(GROUP, "v1", plural, kind, namespaced);
    }

    /** A SubjectAccessReview (or, {@code local}, a LocalSubjectAccessReview) of the user its spec names. */
    private static ObjectNode subjectAccessReview(ObjectNode review, ResourceStorage storage, boolean local) {
        JsonNode spec = review.path("spec");
        List<FieldError> errors = new ArrayList<>();
        validateAttributes(spec, errors);
        String user = spec.path("user").asText("");
        if (user.isEmpty() && spec.path("groups").isEmpty()) {
            errors.add(FieldError.invalid("spec.user", user, "at least one of user or group must be specified"));
        }
        String namespace = Json.namespace(review);
        if (local) {
            metadataEmpty(review, true, errors);
            JsonNode attributes = spec.get("resourceAttributes");
            if (attributes != null && !attributes.isNull()
                    && !attributes.path("namespace").asText("").equals(namespace == null ? "" : namespace)) {
                errors.add(FieldError.invalid("spec.resourceAttributes.namespace",
                        attributes.path("namespace").asText(""), "must match metadata.namespace"));
            }
            JsonNode nonResource = spec.get("nonResourceAttributes");
            if (nonResource != null && !nonResource.isNull()) {
                errors.add(FieldError.invalidRaw("spec.nonResourceAttributes", nonResourceValue(nonResource),
                        "disallowed on this kind of request"));
            }
        } else {
            metadataEmpty(review, false, errors);
        }
        refuse(review, errors);
        UserInfo subject = new UserInfo(user, spec.path("uid").asText(""), texts(spec.path("groups")),
                extra(spec.path("extra")));
        return answered(review, Authorizer.forCluster(storage).authorize(attributes(subject, spec)));
    }

    /** A SelfSubjectAccessReview: may the caller (drydock's admin) do this? */
    private static ObjectNode selfSubjectAccessReview(ObjectNode review, ApiRequest req, ResourceStorage storage) {
        List<FieldError> errors = new ArrayList<>();
        validateAttributes(review.path("spec"), errors);
        metadataEmpty(review, false, errors);
        refuse(review, errors);
        return answered(review, Authorizer.forCluster(storage).authorize(attributes(UserInfo.ADMIN,
                review.path("spec"))));
    }

    /** A SelfSubjectRulesReview: the caller's RBAC rules in {@code spec.namespace}, as kube's registry lists them. */
    private static ObjectNode selfSubjectRulesReview(ObjectNode review, ApiRequest req, ResourceStorage storage) {
        String namespace = review.path("spec").path("namespace").asText("");
        if (namespace.isEmpty()) {
            throw ApiException.of(400, "BadRequest", "no namespace on request");
        }
        RbacAuthorizer.Rules rules = new RbacAuthorizer(storage).rulesFor(UserInfo.ADMIN, namespace);
        ObjectNode out = Json.object();
        out.put("kind", SELF_SUBJECT_RULES_REVIEWS.kind());
        out.put("apiVersion", SELF_SUBJECT_RULES_REVIEWS.apiVersion());
        out.putObject("metadata").putNull("creationTimestamp");
        out.putObject("spec");
        ObjectNode status = out.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (JsonNode rule : rules.rules()) {
            if (!rule.path("resources").isEmpty()) {
                ObjectNode r = resourceRules.addObject();
                r.set("verbs", rule.path("verbs").deepCopy());
                for (String field : List.of("apiGroups", "resources", "resourceNames")) {
                    if (!rule.path(field).isEmpty()) {
                        r.set(field, rule.path(field).deepCopy());
                    }
                }
            }
            if (!rule.path("nonResourceURLs").isEmpty()) {
                ObjectNode r = nonResourceRules.addObject();
                r.set("verbs", rule.path("verbs").deepCopy());
                r.set("nonResourceURLs", rule.path("nonResourceURLs").deepCopy());
            }
        }
        status.put("incomplete", false);
        if (!rules.error().isEmpty()) {
            status.put("evaluationError", rules.error());
        }
        return out;
    }

    /** kube's {@code ValidateSubjectAccessReviewSpec} on the attributes: exactly one of resource or non-resource. */
    private static void validateAttributes(JsonNode spec, List<FieldError> errors) {
        JsonNode resource = spec.get("resourceAttributes");
        JsonNode nonResource = spec.get("nonResourceAttributes");
        boolean hasResource = resource != null && !resource.isNull();
        boolean hasNonResource = nonResource != null && !nonResource.isNull();
        if (hasResource && hasNonResource) {
            errors.add(FieldError.invalidRaw("spec.nonResourceAttributes", nonResourceValue(nonResource),
                    "cannot be specified in combination with resourceAttributes"));
        }
        if (!hasResource && !hasNonResource) {
            errors.add(FieldError.invalid("spec.resourceAttributes", "null", // kube prints a nil pointer as "null"
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
    }

    /** kube: a review's metadata must be empty (a LocalSubjectAccessReview's but for its namespace). */
    private static void metadataEmpty(ObjectNode review, boolean exceptNamespace, List<FieldError> errors) {
        List<String> set = new ArrayList<>();
        review.path("metadata").properties().forEach(e -> {
            JsonNode v = e.getValue();
            boolean empty = v.isNull() || (v.isContainerNode() && v.isEmpty()) || (v.isTextual() && v.asText()
                    .isEmpty()) || (v.isNumber() && v.asLong() == 0);
            if (!empty && !e.getKey().equals("managedFields") && !(exceptNamespace && e.getKey().equals("namespace"))) {
                set.add(e.getKey());
            }
        });
        if (!set.isEmpty()) {
            errors.add(FieldError.invalidRaw("metadata", objectMeta(review.path("metadata")), exceptNamespace
                    ? "must be empty except for namespace" : "must be empty"));
        }
    }

    private static void refuse(ObjectNode review, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw Errors.invalid(GROUP, review.path("kind").asText(), "", errors);
        }
    }

    /** The authorizer's attributes of a review's spec, as kube's {@code AuthorizationAttributesFrom}. */
    private static Attributes attributes(UserInfo user, JsonNode spec) {
        JsonNode r = spec.get("resourceAttributes");
        if (r != null && !r.isNull()) {
            return Attributes.resource(user, r.path("verb").asText(""), r.path("namespace").asText(""),
                    r.path("group").asText(""), r.path("version").asText(""), r.path("resource").asText(""),
                    r.path("subresource").asText(""), r.path("name").asText(""));
        }
        JsonNode n = spec.path("nonResourceAttributes");
        return Attributes.nonResource(user, n.path("verb").asText(""), n.path("path").asText(""));
    }

    /** The review with kube's {@code SubjectAccessReviewStatus}: {@code allowed} always, the rest when set. */
    private static ObjectNode answered(ObjectNode review, Decision decision) {
        ObjectNode meta = Json.with(review, "metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        ObjectNode status = review.putObject("status");
        status.put("allowed", decision.allowed());
        if (decision.denied()) {
            status.put("denied", true);
        }
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
        if (!decision.evaluationError().isEmpty()) {
            status.put("evaluationError", decision.evaluationError());
        }
        return review;
    }

    private static List<String> texts(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Map<String, List<String>> extra(JsonNode extra) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        extra.properties().forEach(e -> out.put(e.getKey(), texts(e.getValue())));
        return out;
    }

    /** A {@code *NonResourceAttributes} as Go's {@code %#v} prints it. */
    private static String nonResourceValue(JsonNode n) {
        return "&authorization.NonResourceAttributes{Path:" + FieldError.goQuote(n.path("path").asText(""))
                + ", Verb:" + FieldError.goQuote(n.path("verb").asText("")) + "}";
    }

    /** The metadata that should have been empty, briefly in Go's struct form. */
    private static String objectMeta(JsonNode meta) {
        StringBuilder s = new StringBuilder("v1.ObjectMeta{");
        List<String> fields = new ArrayList<>();
        meta.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                String name = Character.toUpperCase(e.getKey().charAt(0)) + e.getKey().substring(1);
                fields.add(name + ":" + (e.getValue().isTextual() ? FieldError.goQuote(e.getValue().asText())
                        : e.getValue().toString()));
            }
        });
        return s.append(String.join(", ", fields)).append('}').toString();
    }
}
