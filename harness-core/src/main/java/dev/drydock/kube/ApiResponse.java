package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The answer to an {@link ApiRequest}: an HTTP status code, a JSON body (an object, a list or a Status), and the
 * warnings kube-apiserver sends as {@code Warning} headers (e.g. {@code unknown field "spec.foo"}).
 */
public record ApiResponse(int code, JsonNode body, List<String> warnings) {

    public ApiResponse {
        warnings = List.copyOf(warnings);
    }

    /** An answer without warnings. */
    public ApiResponse(int code, JsonNode body) {
        this(code, body, List.of());
    }
}
