package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindStrategy;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * ConfigMaps and Secrets as kube serves them: data keys that are config keys, at most 1 MiB of data, {@code immutable}
 * objects whose data cannot change, and for Secrets the {@code type} defaulted to {@code Opaque} and immutable, the
 * write-only {@code stringData} folded into base64 {@code data}, and the keys each built-in type requires.
 */
final class ConfigDataStrategies {

    /** kube's {@code MaxSecretSize}, which bounds ConfigMaps too. */
    static final int MAX_SIZE = 1024 * 1024;
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final String IMMUTABLE = "field is immutable when `immutable` is set";

    private ConfigDataStrategies() {
    }

    static final KindStrategy CONFIG_MAP = new KindStrategy() {
        @Override
        public void defaults(ObjectNode cm) {
            // What kube's decoder refuses before anything else: data that are not strings, binaryData not base64.
            for (Map.Entry<String, JsonNode> e : fields(cm.path("data"))) {
                if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                    throw undecodable("ConfigMap", "json: cannot unmarshal " + goType(e.getValue())
                            + " into Go struct field ConfigMap.data of type string");
                }
            }
            for (Map.Entry<String, JsonNode> e : fields(cm.path("binaryData"))) {
                decodeBase64("ConfigMap", "binaryData", e.getValue());
            }
        }

        @Override
        public void validate(ObjectNode cm, List<FieldError> errors) {
            long size = 0;
            JsonNode binary = cm.path("binaryData");
            for (Map.Entry<String, JsonNode> e : fields(cm.path("data"))) {
                configKey("data[" + e.getKey() + "]", e.getKey(), errors);
                if (binary.has(e.getKey())) {
                    errors.add(FieldError.invalid("data[" + e.getKey() + "]", e.getKey(),
                            "duplicate of key present in binaryData"));
                }
                size += e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
            }
            for (Map.Entry<String, JsonNode> e : fields(binary)) {
                configKey("binaryData[" + e.getKey() + "]", e.getKey(), errors);
                size += decodeBase64("ConfigMap", "binaryData", e.getValue()).length;
            }
            if (size > MAX_SIZE) {
                errors.add(FieldError.tooLong("[]", MAX_SIZE)); // field.NewPath(""): the whole object
            }
        }

        @Override
        public void validateUpdate(ObjectNode cm, ObjectNode old, List<FieldError> errors) {
            if (old.path("immutable").asBoolean(false)) {
                if (!cm.path("immutable").asBoolean(false)) {
                    errors.add(FieldError.forbidden("immutable", IMMUTABLE));
                }
                if (!sameMap(cm.get("data"), old.get("data"))) {
                    errors.add(FieldError.forbidden("data", IMMUTABLE));
                }
                if (!sameMap(cm.get("binaryData"), old.get("binaryData"))) {
                    errors.add(FieldError.forbidden("binaryData", IMMUTABLE));
                }
            }
        }
    };

    static final KindStrategy SECRET = new KindStrategy() {
        @Override
        public void defaults(ObjectNode secret) {
            for (Map.Entry<String, JsonNode> e : fields(secret.path("data"))) {
                decodeBase64("Secret", "data", e.getValue());
            }
            // As kube's conversion from v1: stringData overwrites data's keys, and is never stored.
            JsonNode stringData = secret.remove("stringData");
            if (stringData != null && stringData.isObject() && !stringData.isEmpty()) {
                ObjectNode data = Json.with(secret, "data");
                for (Map.Entry<String, JsonNode> e : fields(stringData)) {
                    data.put(e.getKey(), Base64.getEncoder().encodeToString(
                            e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
                }
            }
            if (ServiceStrategy.text(secret, "type").isEmpty()) {
                secret.put("type", "Opaque");
            }
        }

        @Override
        public void validate(ObjectNode secret, List<FieldError> errors) {
            long size = 0;
            JsonNode data = secret.path("data");
            for (Map.Entry<String, JsonNode> e : fields(data)) {
                configKey("data[" + e.getKey() + "]", e.getKey(), errors);
                size += decodeBase64("Secret", "data", e.getValue()).length;
            }
            if (size > MAX_SIZE) {
                errors.add(FieldError.tooLong("data", MAX_SIZE));
            }
            switch (ServiceStrategy.text(secret, "type")) {
                case "kubernetes.io/service-account-token" -> {
                    if (Json.text(secret, "metadata", "annotations", "kubernetes.io/service-account.name") == null
                            || Json.text(secret, "metadata", "annotations", "kubernetes.io/service-account.name")
                            .isEmpty()) {
                        errors.add(FieldError.required(
                                "metadata.annotations[kubernetes.io/service-account.name]", ""));
                    }
                }
                case "kubernetes.io/dockercfg" -> requireJson(data, ".dockercfg", errors);
                case "kubernetes.io/dockerconfigjson" -> requireJson(data, ".dockerconfigjson", errors);
                case "kubernetes.io/basic-auth" -> {
                    if (!data.has("username") && !data.has("password")) {
                        errors.add(FieldError.required("data[username]", ""));
                        errors.add(FieldError.required("data[password]", ""));
                    }
                }
                case "kubernetes.io/ssh-auth" -> {
                    if (!data.has("ssh-privatekey") || data.path("ssh-privatekey").asText().isEmpty()) {
                        errors.add(FieldError.required("data[ssh-privatekey]", ""));
                    }
                }
                case "kubernetes.io/tls" -> {
                    if (!data.has("tls.crt")) {
                        errors.add(FieldError.required("data[tls.crt]", ""));
                    }
                    if (!data.has("tls.key")) {
                        errors.add(FieldError.required("data[tls.key]", ""));
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public void validateUpdate(ObjectNode secret, ObjectNode old, List<FieldError> errors) {
            String type = ServiceStrategy.text(secret, "type");
            if (!type.equals(ServiceStrategy.text(old, "type"))) {
                errors.add(FieldError.invalid("type", type, "field is immutable"));
            }
            if (old.path("immutable").asBoolean(false)) {
                if (!secret.path("immutable").asBoolean(false)) {
                    errors.add(FieldError.forbidden("immutable", IMMUTABLE));
                }
                if (!sameMap(secret.get("data"), old.get("data"))) {
                    errors.add(FieldError.forbidden("data", IMMUTABLE));
                }
            }
        }
    };

    /** kube's {@code IsConfigMapKey}, which Secret keys follow too. */
    static void configKey(String field, String key, List<FieldError> errors) {
        if (key.length() > 253) {
            errors.add(FieldError.invalid(field, key, "must be no more than 253 characters"));
        }
        if (!CONFIG_KEY.matcher(key).matches()) {
            errors.add(FieldError.invalid(field, key, "a valid config key must consist of alphanumeric characters, "
                    + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                    + "'[-._a-zA-Z0-9]+')"));
        }
        if (key.equals(".")) {
            errors.add(FieldError.invalid(field, key, "must not be '.'"));
        } else if (key.equals("..")) {
            errors.add(FieldError.invalid(field, key, "must not be '..'"));
        } else if (key.startsWith("..")) {
            errors.add(FieldError.invalid(field, key, "must not start with '..'"));
        }
    }

    /** A key whose (base64) value must be JSON, as the docker config Secrets' keys. */
    private static void requireJson(JsonNode data, String key, List<FieldError> errors) {
        if (!data.has(key)) {
            errors.add(FieldError.required("data[" + key + "]", ""));
            return;
        }
        try {
            JsonNode parsed = Json.parse(decodeBase64("Secret", "data", data.get(key)));
            if (parsed == null || !parsed.isObject()) {
                throw new java.io.IOException("json: cannot unmarshal " + (parsed == null ? "nothing"
                        : goType(parsed)) + " into Go value of type map[string]interface {}");
            }
        } catch (java.io.IOException e) {
            errors.add(FieldError.invalid("data[" + key + "]", "<secret contents redacted>", e.getMessage()));
        }
    }

    /**
     * The bytes of a base64 value of a Go {@code []byte} field, or the 400 kube's decoder answers: Go's standard
     * encoding, padded, ignoring line breaks, with its {@code illegal base64 data at input byte N}.
     */
    static byte[] decodeBase64(String kind, String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return new byte[0];
        }
        if (!value.isTextual()) {
            throw undecodable(kind, "json: cannot unmarshal " + goType(value) + " into Go struct field " + kind + "."
                    + field + " of type []uint8");
        }
        String s = value.asText();
        int bad = illegalBase64At(s);
        if (bad >= 0) {
            throw undecodable(kind, "illegal base64 data at input byte " + bad);
        }
        return Base64.getMimeDecoder().decode(s.replace("\r", "").replace("\n", ""));
    }

    /** Where Go's {@code base64.StdEncoding} stops reading {@code s}, or -1 if it decodes. */
    static int illegalBase64At(String s) {
        int si = 0;
        int n = s.length();
        while (true) {
            int j = 0;
            while (j < 4) {
                if (si == n) {
                    if (j == 0) {
                        return -1;
                    }
                    return si - j; // a short quantum: padding is required
                }
                char c = s.charAt(si++);
                if (isBase64(c)) {
                    j++;
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    continue;
                }
                if (c != '=' || j < 2) {
                    return si - 1;
                }
                if (j == 2) {
                    while (si < n && (s.charAt(si) == '\n' || s.charAt(si) == '\r')) {
                        si++;
                    }
                    if (si == n) {
                        return n; // not enough padding
                    }
                    if (s.charAt(si) != '=') {
                        return si - 1;
                    }
                    si++;
                }
                while (si < n && (s.charAt(si) == '\n' || s.charAt(si) == '\r')) {
                    si++;
                }
                return si < n ? si : -1; // anything after the padding is garbage
            }
        }
    }

    private static boolean isBase64(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    private static ApiException undecodable(String kind, String why) {
        return ApiException.of(400, "BadRequest", kind + " in version \"v1\" cannot be handled as a " + kind + ": "
                + why);
    }

    static String goType(JsonNode v) {
        return v.isNumber() ? "number" : v.isBoolean() ? "bool" : v.isArray() ? "array" : v.isObject() ? "object"
                : "string";
    }

    static List<Map.Entry<String, JsonNode>> fields(JsonNode map) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (map != null && map.isObject()) {
            map.properties().forEach(out::add);
        }
        return out;
    }

    /** Data maps compared as kube compares what it stored, where an empty map reads back as none. */
    private static boolean sameMap(JsonNode a, JsonNode b) {
        boolean aEmpty = a == null || a.isNull() || a.isEmpty();
        boolean bEmpty = b == null || b.isNull() || b.isEmpty();
        return aEmpty || bEmpty ? aEmpty == bEmpty : Objects.equals(a, b);
    }
}
