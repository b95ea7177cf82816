package dev.drydock.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;

/**
 * A request the API refused: carries the Kubernetes {@code Status} object with its HTTP code and reason
 * ({@code NotFound}, {@code AlreadyExists}, {@code Conflict}, {@code Invalid}, ...).
 */
public class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final ObjectNode status;

    public ApiException(ObjectNode status) {
        super(status.path("message").asText());
        this.code = status.path("code").asInt();
        this.reason = status.path("reason").asText("");
        this.status = status;
    }

    /** Builds a {@code Status} of kind Failure. */
    public static ApiException of(int code, String reason, String message) {
        return new ApiException(status(code, reason, message, null));
    }

    /** Builds a {@code Status} of kind Failure with details naming the object. */
    public static ApiException of(int code, String reason, String message, Resource resource, String name) {
        ObjectNode details = Json.object();
        if (name != null) {
            details.put("name", name);
        }
        if (resource != null) {
            details.put("group", resource.group());
            details.put("kind", resource.plural());
        }
        return new ApiException(status(code, reason, message, details));
    }

    public static ObjectNode status(int code, String reason, String message, ObjectNode details) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        if (reason != null && !reason.isEmpty()) {
            s.put("reason", reason);
        }
        if (details != null) {
            s.set("details", details);
        }
        s.put("code", code);
        return s;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public ObjectNode status() {
        return status;
    }

    public boolean isNotFound() {
        return code == 404;
    }

    public boolean isConflict() {
        return code == 409;
    }
}
