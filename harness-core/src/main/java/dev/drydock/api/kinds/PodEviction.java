package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.Subresource;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST pods/<name>/eviction}: a policy/v1 Eviction, as kube's {@code EvictionREST}. A pod that already
 * caused its disruption (Succeeded, Failed, Pending, or being deleted) is deleted at once; any other is deleted only
 * if the one PodDisruptionBudget whose selector matches it allows a disruption, which the eviction takes from the
 * budget ({@code status.disruptionsAllowed} decremented, the pod noted in {@code status.disruptedPods}) before it
 * deletes the pod. Otherwise the answer is kube's 429 TooManyRequests, with a {@code DisruptionBudget} cause; a pod
 * matched by two budgets is a 500, as in kube. The Eviction's {@code deleteOptions} (preconditions, dryRun) apply to
 * the pod's deletion.
 */
final class PodEviction implements Subresource {

    /** kube's {@code MaxDisruptedPodSize}: evictions approved but not yet seen by the disruption controller. */
    static final int MAX_DISRUPTED_POD_SIZE = 2000;

    private static final String TOO_MANY = "Cannot evict pod as it would violate the pod's disruption budget.";

    @Override
    public String kind() {
        return "Eviction";
    }

    @Override
    public String groupVersion() {
        return "policy/v1";
    }

    @Override
    public List<String> verbs() {
        return List.of("create");
    }

    @Override
    public ApiResponse serve(ApiRequest req, KindDescriptor pods, ResourceStorage storage) {
        if (req.verb() != ApiRequest.Verb.CREATE) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        ObjectNode eviction = storage.body(pods, v1(req));
        String name = Json.name(eviction);
        if (!req.name().equals(name == null ? "" : name)) {
            throw ApiException.of(400, "BadRequest", "name in URL does not match name in Eviction object");
        }
        String namespace = Json.namespace(eviction);
        if (namespace != null && !namespace.isEmpty() && !namespace.equals(req.namespace())) {
            throw ApiException.of(400, "BadRequest", "the namespace of the provided object does not match the "
                    + "namespace sent on the request");
        }
        ObjectNode options = deleteOptions(eviction, req);
        boolean dryRun = options.path("dryRun").size() > 0;
        boolean rvUnset = !options.path("preconditions").hasNonNull("resourceVersion");

        // A pod that has already caused its disruption is deleted without looking at budgets.
        ObjectNode pod = null;
        for (int attempt = 1; ; attempt++) {
            pod = storage.get(pods, req.namespace(), req.name());
            if (!canIgnoreBudget(pod)) {
                break;
            }
            ObjectNode delete = options;
            if (shouldEnforceResourceVersion(pod) && rvUnset) {
                delete = withResourceVersion(options, Json.resourceVersion(pod));
            }
            try {
                storage.delete(pods, req.namespace(), req.name(), delete);
                return success();
            } catch (ApiException e) {
                if (!e.isConflict() || !rvUnset || attempt == 20) {
                    throw e;
                }
            }
        }

        KindDescriptor budgets = storage.registry().find(Resource.PODDISRUPTIONBUDGETS);
        List<ObjectNode> matching = budgets == null ? List.of() : budgetsOf(pod, storage.list(budgets,
                req.namespace()));
        if (matching.size() > 1) {
            throw ApiException.of(500, null, "This pod has more than one PodDisruptionBudget, which the eviction "
                    + "subresource does not support.");
        }
        boolean unreadyWithinBudget = false;
        String budgetName = null;
        if (matching.size() == 1) {
            ObjectNode pdb = matching.get(0);
            budgetName = Json.name(pdb);
            JsonNode status = pdb.path("status");
            boolean alwaysAllow = "AlwaysAllow".equals(Json.text(pdb, "spec", "unhealthyPodEvictionPolicy"));
            if (!isReady(pod) && (alwaysAllow || status.path("currentHealthy").asLong(0)
                    >= status.path("desiredHealthy").asLong(0) && status.path("desiredHealthy").asLong(0) > 0)) {
                // an unready pod does not count towards the healthy ones: no disruption is taken for it
                unreadyWithinBudget = true;
            } else {
                String podName = Json.name(pod);
                String now = storage.now().truncatedTo(ChronoUnit.SECONDS).toString();
                storage.write(budgets, req.namespace(), budgetName, -1, current -> {
                    checkAndDecrement(current, podName, now);
                    return current;
                }, dryRun);
            }
        }
        ObjectNode delete = options;
        if (unreadyWithinBudget) {
            delete = withResourceVersion(options, Json.resourceVersion(pod)); // it must not become ready meanwhile
        }
        try {
            storage.delete(pods, req.namespace(), req.name(), delete);
        } catch (ApiException e) {
            if (e.isConflict() && unreadyWithinBudget && rvUnset) {
                throw tooManyRequests(10, "The disruption budget " + budgetName
                        + " is still being processed by the server.");
            }
            throw e;
        }
        return success();
    }

    /**
     * The request with a policy/v1beta1 Eviction read as policy/v1, as kube's {@code AcceptsGroupVersion} takes
     * both (their fields are the same).
     */
    private static ApiRequest v1(ApiRequest req) {
        if (req.body() instanceof ObjectNode body && "policy/v1beta1".equals(body.path("apiVersion").asText())
                && "Eviction".equals(body.path("kind").asText())) {
            ObjectNode copy = body.deepCopy();
            copy.put("apiVersion", "policy/v1");
            return new ApiRequest(req.verb(), req.resource(), req.namespace(), req.name(), req.subresource(),
                    req.params(), copy, req.contentType(), req.userAgent());
        }
        return req;
    }

    /**
     * kube's {@code checkAndDecrement} on the budget as stored: refuses while the controller has not seen its
     * latest spec, or when it allows no disruption; else takes one and notes the pod as disrupted.
     */
    static void checkAndDecrement(ObjectNode pdb, String podName, String now) {
        ObjectNode status = Json.with(pdb, "status");
        String name = Json.name(pdb);
        if (status.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(0)) {
            throw tooManyRequests(10, "The disruption budget " + name + " is still being processed by the server.");
        }
        long allowed = status.path("disruptionsAllowed").asLong(0);
        if (allowed < 0) {
            throw forbidden(name, "pdb disruptions allowed is negative");
        }
        if (status.path("disruptedPods").size() > MAX_DISRUPTED_POD_SIZE) {
            throw forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            String why = "The disruption budget " + name + " needs " + status.path("desiredHealthy").asLong(0)
                    + " healthy pods and has " + status.path("currentHealthy").asLong(0) + " currently";
            for (JsonNode c : status.path("conditions")) {
                if (c.path("type").asText().equals("DisruptionAllowed")
                        && c.path("reason").asText().equals("SyncFailed")) {
                    why = "The disruption budget " + name + " does not allow evicting pods currently because it "
                            + "failed sync: " + c.path("message").asText();
                }
            }
            throw tooManyRequests(0, why);
        }
        status.put("disruptionsAllowed", allowed - 1);
        if (allowed - 1 == 0) {
            PolicyV1Kinds.disruptionAllowedCondition(pdb, now);
        }
        Json.with(status, "disruptedPods").put(podName, now);
    }

    /** The budgets whose selector matches the pod; a budget with no selector or an empty one matches nothing. */
    static List<ObjectNode> budgetsOf(JsonNode pod, List<ObjectNode> budgets) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode pdb : budgets) {
            LabelSelector selector = KindChecks.selectorOrNull(pdb.path("spec").path("selector"));
            if (selector != null && !selector.isEmpty() && selector.matchesObject(pod)) {
                out.add(pdb);
            }
        }
        return out;
    }

    /** A pod that already caused its disruption: terminal, pending, or being deleted. */
    private static boolean canIgnoreBudget(JsonNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase) || "Pending".equals(phase)
                || Json.isDeleting(pod);
    }

    private static boolean shouldEnforceResourceVersion(JsonNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !Json.isDeleting(pod);
    }

    private static boolean isReady(JsonNode pod) {
        return "True".equals(Json.condition(pod, "Ready"));
    }

    /**
     * The Eviction's {@code deleteOptions} with the request's {@code dryRun}, as kube's {@code propagateDryRun}:
     * either may set it, and they may not disagree.
     */
    private static ObjectNode deleteOptions(ObjectNode eviction, ApiRequest req) {
        JsonNode given = eviction.get("deleteOptions");
        ObjectNode options = given instanceof ObjectNode o ? o.deepCopy() : Json.object();
        ArrayNode requestDryRun = Json.array();
        if (req.param("dryRun") != null) {
            requestDryRun.add(req.param("dryRun"));
        }
        JsonNode bodyDryRun = options.path("dryRun");
        if (bodyDryRun.isEmpty()) {
            options.set("dryRun", requestDryRun);
        } else if (!requestDryRun.isEmpty() && !requestDryRun.equals(bodyDryRun)) {
            throw ApiException.of(500, "InternalError", "Internal error occurred: Non-matching dry-run options in "
                    + "request and content: " + goList(requestDryRun) + " and " + goList(bodyDryRun));
        }
        return options;
    }

    private static String goList(JsonNode values) {
        List<String> items = new ArrayList<>();
        values.forEach(v -> items.add(v.asText()));
        return "[" + String.join(" ", items) + "]";
    }

    private static ObjectNode withResourceVersion(ObjectNode options, String resourceVersion) {
        ObjectNode copy = options.deepCopy();
        Json.with(copy, "preconditions").put("resourceVersion", resourceVersion);
        return copy;
    }

    /** kube's {@code NewTooManyRequests} with a {@code DisruptionBudget} cause. */
    static ApiException tooManyRequests(int retryAfterSeconds, String cause) {
        ObjectNode details = Json.object();
        if (retryAfterSeconds > 0) {
            details.put("retryAfterSeconds", retryAfterSeconds);
        }
        details.putArray("causes").addObject().put("reason", "DisruptionBudget").put("message", cause);
        return new ApiException(ApiException.status(429, "TooManyRequests", TOO_MANY, details));
    }

    private static ApiException forbidden(String pdb, String why) {
        return ApiException.of(403, "Forbidden", "poddisruptionbudget.policy \"" + pdb + "\" is forbidden: " + why,
                new Resource("policy", "v1", "poddisruptionbudget", "PodDisruptionBudget", true), pdb);
    }

    private static ApiResponse success() {
        ObjectNode ok = Json.object();
        ok.put("kind", "Status");
        ok.put("apiVersion", "v1");
        ok.putObject("metadata");
        ok.put("status", "Success");
        ok.put("code", 201);
        return new ApiResponse(201, ok);
    }
}
