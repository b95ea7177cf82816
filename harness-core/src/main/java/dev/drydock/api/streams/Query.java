package dev.drydock.api.streams;

import dev.drydock.kube.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's query with every value of each parameter ({@code command=sh&command=-c}), read as kube-apiserver's
 * parameter codec reads a subresource's options: a bool is true unless it is {@code 0} or {@code false}, numbers and
 * times that do not parse are a 400 with Go's words.
 */
final class Query {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    Query(String raw) {
        if (raw == null) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String first(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** kube's {@code Convert_Slice_string_To_bool}. */
    boolean bool(String name) {
        String v = first(name);
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** An int64 option, or null if absent. */
    Long int64(String name) {
        String v = first(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.of(400, "BadRequest", "strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
        }
    }

    /** A {@code metav1.Time} option (RFC 3339), or null if absent. */
    Instant time(String name) {
        String v = first(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.of(400, "BadRequest", "parsing time \"" + v
                    + "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"" + v + "\" as \"2006\"");
        }
    }

    /** kube's {@code Convert_Slice_string_To_Slice_int32} for ports: each value may hold several, comma separated. */
    List<Integer> ports(String name) {
        List<Integer> ports = new ArrayList<>();
        for (String value : all(name)) {
            for (String p : value.split(",", -1)) {
                try {
                    int port = Integer.parseInt(p);
                    if (port < 0 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    throw ApiException.of(400, "BadRequest", "cannot convert to []int32: strconv.ParseUint: parsing \""
                            + p + "\": " + (p.matches("\\d+") ? "value out of range" : "invalid syntax"));
                }
            }
        }
        return ports;
    }
}
