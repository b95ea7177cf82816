package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import java.util.List;

/**
 * A delete's options ({@code meta.k8s.io/v1 DeleteOptions}), from its body or its query, as kube reads them:
 * the propagation policy the garbage collector follows, preconditions, the grace period and dry run.
 *
 * @param propagationPolicy {@code Orphan}, {@code Background}, {@code Foreground}, or null for the kind's default
 */
record DeleteOptions(String propagationPolicy, String uid, String resourceVersion, Long gracePeriodSeconds,
                     boolean dryRun) {

    /** The finalizer that holds an owner until the garbage collector has deleted its blocking dependents. */
    static final String FOREGROUND = "foregroundDeletion";
    /** The finalizer that holds an owner until the garbage collector has orphaned its dependents. */
    static final String ORPHAN = "orphan";

    static DeleteOptions of(ApiRequest req) {
        java.util.Map<String, String> params = new java.util.HashMap<>();
        for (String p : List.of("propagationPolicy", "orphanDependents", "gracePeriodSeconds", "dryRun")) {
            if (req.param(p) != null) {
                params.put(p, req.param(p));
            }
        }
        return of(req.body() instanceof ObjectNode o ? o : null, params);
    }

    /** The options of a body ({@code DeleteOptions}, or null) and query parameters. */
    static DeleteOptions of(ObjectNode options, java.util.Map<String, String> params) {
        JsonNode body = options != null ? options : Json.object();
        String policy = text(body.path("propagationPolicy"), params.get("propagationPolicy"));
        JsonNode orphan = body.path("orphanDependents");
        String orphanParam = params.get("orphanDependents");
        boolean orphanSet = orphan.isBoolean() || orphanParam != null;
        if (orphanSet && policy != null) {
            throw invalid(FieldError.invalid("propagationPolicy", policy,
                    "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (orphanSet) {
            policy = (orphan.isBoolean() ? orphan.asBoolean() : Boolean.parseBoolean(orphanParam)) ? "Orphan"
                    : "Background";
        }
        if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
            throw invalid(FieldError.notSupported("propagationPolicy", policy,
                    "supported values: \"Foreground\", \"Background\", \"Orphan\""));
        }
        String grace = text(body.path("gracePeriodSeconds"), params.get("gracePeriodSeconds"));
        Long graceSeconds = null;
        if (grace != null) {
            try {
                graceSeconds = Long.parseLong(grace);
            } catch (NumberFormatException e) {
                throw ApiException.of(400, "BadRequest", "invalid gracePeriodSeconds: " + grace);
            }
        }
        boolean dryRun = "All".equals(params.get("dryRun"));
        for (JsonNode d : body.path("dryRun")) {
            dryRun |= d.asText().equals("All");
        }
        JsonNode pre = body.path("preconditions");
        return new DeleteOptions(policy, text(pre.path("uid"), null), text(pre.path("resourceVersion"), null),
                graceSeconds, dryRun);
    }

    private static String text(JsonNode n, String fallback) {
        return n.isMissingNode() || n.isNull() ? fallback : n.asText();
    }

    private static ApiException invalid(FieldError error) {
        ObjectNode details = Json.object();
        details.put("group", "meta.k8s.io");
        details.put("kind", "DeleteOptions");
        details.putArray("causes").add(error.cause());
        return new ApiException(ApiException.status(422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: "
                + error, details));
    }

    /** kube's preconditions: a delete of another object than the one the client named is a conflict. */
    void check(KindDescriptor kind, ObjectNode obj) {
        String why = null;
        if (uid != null && !uid.equals(Json.uid(obj))) {
            why = "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + Json.uid(obj);
        } else if (resourceVersion != null && !resourceVersion.equals(Json.resourceVersion(obj))) {
            why = "Precondition failed: ResourceVersion in precondition: " + resourceVersion
                    + ", ResourceVersion in object meta: " + Json.resourceVersion(obj);
        }
        if (why != null) {
            // kube's storage answers errors.NewConflict(resource, name, err)
            throw ApiException.of(409, "Conflict", "Operation cannot be fulfilled on "
                    + kind.resource().qualifiedName() + " \"" + Json.name(obj) + "\": " + why, kind.resource(),
                    Json.name(obj));
        }
    }

    /**
     * The garbage collector's finalizers as the policy asks (kube's {@code deletionFinalizersForGarbageCollection}):
     * Orphan adds {@code orphan}, Foreground adds {@code foregroundDeletion}, each dropping the other; Background
     * drops both; no policy keeps what the object has.
     */
    void applyPolicy(ObjectNode obj) {
        if (propagationPolicy == null) {
            return;
        }
        ObjectNode meta = Json.with(obj, "metadata");
        ArrayNode finalizers = Json.withArray(meta, "finalizers");
        String add = switch (propagationPolicy) {
            case "Orphan" -> ORPHAN;
            case "Foreground" -> FOREGROUND;
            default -> null;
        };
        boolean present = false;
        for (int i = finalizers.size() - 1; i >= 0; i--) {
            String f = finalizers.get(i).asText();
            if (f.equals(add)) {
                present = true;
            } else if (f.equals(ORPHAN) || f.equals(FOREGROUND)) {
                finalizers.remove(i);
            }
        }
        if (add != null && !present) {
            finalizers.add(add);
        }
        if (finalizers.isEmpty()) {
            meta.remove("finalizers");
        }
    }
}
