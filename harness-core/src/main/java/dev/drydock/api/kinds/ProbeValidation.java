package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** kube's validation of a container's probes ({@code validateProbe} and its handlers'), after defaulting. */
final class ProbeValidation {

    private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    /** An HTTP header's name: an RFC 7230 token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[-!#$%&'*+.^_`|~0-9A-Za-z]+");

    private ProbeValidation() {
    }

    /** The probes of the container at {@code field} (e.g. {@code spec.containers[0]}). */
    static void container(String field, JsonNode c, List<FieldError> errors) {
        for (String name : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode p = c.get(name);
            if (p != null && p.isObject()) {
                probe(field + "." + name, p, errors);
                JsonNode success = p.path("successThreshold");
                if (!name.equals("readinessProbe") && success.isNumber() && success.asInt() != 1) {
                    errors.add(FieldError.invalid(field + "." + name + ".successThreshold", success.asInt(),
                            "must be 1"));
                }
            }
        }
    }

    private static void probe(String field, JsonNode p, List<FieldError> errors) {
        List<String> present = new ArrayList<>();
        for (String h : HANDLERS) {
            if (p.path(h).isObject()) {
                present.add(h);
            }
        }
        if (present.isEmpty()) {
            errors.add(FieldError.required(field, "must specify a handler type"));
        }
        for (int i = 0; i < present.size(); i++) {
            String h = present.get(i);
            if (i > 0) {
                errors.add(FieldError.forbidden(field + "." + h, "may not specify more than 1 handler type"));
                continue;
            }
            JsonNode handler = p.path(h);
            String at = field + "." + h;
            switch (h) {
                case "exec" -> {
                    if (handler.path("command").size() == 0) {
                        errors.add(FieldError.required(at + ".command", ""));
                    }
                }
                case "httpGet" -> {
                    if (handler.path("path").asText("").isEmpty()) {
                        errors.add(FieldError.required(at + ".path", ""));
                    }
                    NetValidation.portNumOrName(at + ".port", handler.get("port"), errors);
                    if (!handler.has("port")) {
                        errors.add(FieldError.invalid(at + ".port", 0, "must be between 1 and 65535, inclusive"));
                    }
                    String scheme = handler.path("scheme").asText("");
                    if (!Set.of("HTTP", "HTTPS").contains(scheme)) {
                        errors.add(FieldError.notSupported(at + ".scheme", scheme, List.of("HTTP", "HTTPS")));
                    }
                    int j = 0;
                    for (JsonNode header : handler.path("httpHeaders")) {
                        String name = header.path("name").asText("");
                        if (!HEADER_NAME.matcher(name).matches()) {
                            errors.add(FieldError.invalid(at + ".httpHeaders[" + j + "].name", name,
                                    "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                                            + "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
                        }
                        j++;
                    }
                }
                case "tcpSocket" -> {
                    NetValidation.portNumOrName(at + ".port", handler.get("port"), errors);
                    if (!handler.has("port")) {
                        errors.add(FieldError.invalid(at + ".port", 0, "must be between 1 and 65535, inclusive"));
                    }
                }
                default -> NetValidation.portNum(at + ".port", handler.path("port").asLong(0), errors);
            }
        }
        for (String n : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold")) {
            if (p.path(n).asLong(0) < 0) {
                errors.add(FieldError.invalid(field + "." + n, p.path(n).asLong(),
                        "must be greater than or equal to 0"));
            }
        }
        JsonNode grace = p.get("terminationGracePeriodSeconds");
        if (grace != null && !grace.isNull() && grace.asLong() <= 0) {
            errors.add(FieldError.invalid(field + ".terminationGracePeriodSeconds", grace.asLong(),
                    "must be greater than 0"));
        }
    }
}
