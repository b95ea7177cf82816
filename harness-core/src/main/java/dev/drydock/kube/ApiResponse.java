package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to an {@link ApiRequest}: an HTTP status code and a JSON body (an object, a list or a Status). */
public record ApiResponse(int code, JsonNode body) {
}
