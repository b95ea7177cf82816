package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.cache.WatchOptions;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The resourceVersion parameters of a list or a watch, checked as kube's {@code ValidateListOptions} checks them
 * (a 422 for {@code ListOptions.meta.k8s.io}), and where kube's cacher serves each list from
 * ({@code shouldDelegateList}): the watch cache, or the store.
 */
final class ListOptions {

    static final String EXACT = "Exact";
    static final String NOT_OLDER_THAN = "NotOlderThan";

    private ListOptions() {
    }

    /**
     * Whether a list is served from the watch cache: all but an exact resourceVersion ({@code Exact}, or the legacy
     * form, a limit with a resourceVersion other than 0) and a continued list, which read the store at their
     * revision.
     */
    static boolean fromCache(ApiRequest req, int limit) {
        String rv = req.param("resourceVersion");
        String match = req.param("resourceVersionMatch");
        if (req.param("continue") != null || EXACT.equals(match)) {
            return false;
        }
        return match != null || limit == 0 || rv == null || rv.equals("0");
    }

    /** Checks a list's options. */
    static void checkList(ApiRequest req) {
        List<FieldError> errors = new ArrayList<>();
        String match = req.param("resourceVersionMatch");
        String rv = req.param("resourceVersion");
        if (match != null) {
            if (rv == null) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (req.param("continue") != null) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!match.equals(EXACT) && !match.equals(NOT_OLDER_THAN)) {
                errors.add(FieldError.notSupported("resourceVersionMatch", match,
                        "supported values: \"Exact\", \"NotOlderThan\", \"\""));
            }
            if (match.equals(EXACT) && "0".equals(rv)) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (req.param("sendInitialEvents") != null) {
            errors.add(FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        failIfAny(errors);
    }

    /** A watch's options, checked. */
    static WatchOptions watch(ApiRequest req) {
        List<FieldError> errors = new ArrayList<>();
        String match = req.param("resourceVersionMatch");
        String initial = req.param("sendInitialEvents");
        if (initial != null && !NOT_OLDER_THAN.equals(match)) {
            errors.add(FieldError.forbidden("resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }
        if (match != null) {
            if (initial == null) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals(NOT_OLDER_THAN)) {
                errors.add(FieldError.notSupported("resourceVersionMatch", match,
                        "supported values: \"NotOlderThan\""));
            }
        }
        failIfAny(errors);
        String rv = req.param("resourceVersion");
        if (rv != null) {
            resourceVersion(rv);
        }
        return new WatchOptions(rv, initial == null ? null : bool("sendInitialEvents", initial),
                "true".equals(req.param("allowWatchBookmarks")) || "1".equals(req.param("allowWatchBookmarks")),
                req.param("timeoutSeconds") == null ? 0 : nonNegative("timeoutSeconds", req.param("timeoutSeconds")));
    }

    /** A resourceVersion as a revision: 400 if it is not a non-negative number. */
    static long resourceVersion(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.of(400, "BadRequest", "invalid resource version: " + rv);
        }
    }

    /** A non-negative number of a query parameter: 400 naming the parameter if it is not one. */
    static long nonNegative(String name, String value) {
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.of(400, "BadRequest", "invalid " + name + ": " + value);
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true", "1", "True", "TRUE", "t", "T" -> true;
            case "false", "0", "False", "FALSE", "f", "F" -> false;
            default -> throw ApiException.of(400, "BadRequest", "invalid " + name + ": " + value);
        };
    }

    /** kube's {@code errors.NewInvalid(meta.k8s.io ListOptions, "", errs)}. */
    private static void failIfAny(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder("ListOptions.meta.k8s.io \"\" is invalid: ");
        if (errors.size() == 1) {
            msg.append(errors.get(0));
        } else {
            msg.append('[');
            for (int i = 0; i < errors.size(); i++) {
                msg.append(i > 0 ? ", " : "").append(errors.get(i));
            }
            msg.append(']');
        }
        ObjectNode details = Json.object();
        details.put("group", "meta.k8s.io");
        details.put("kind", "ListOptions");
        ArrayNode causes = details.putArray("causes");
        errors.forEach(e -> causes.add(e.cause()));
        throw new ApiException(ApiException.status(422, "Invalid", msg.toString(), details));
    }
}
