package dev.drydock.api.protobuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * drydock's protobuf table: which messages it can decode, their field numbers (taken from
 * Kubernetes' generated.proto files) and how each field is rendered as JSON (taken from the Go
 * json tags in types.go). The table is written in a small line-based notation (see
 * {@link SchemaMetaV1}) because a few hundred fields are far easier to review against
 * generated.proto in that form than as Java constructor calls.
 *
 * <p>Notation, one item per line ({@code #} starts a comment):
 * <pre>
 * package io.k8s.api.core.v1        OpenAPI-style prefix for the messages that follow
 * root v1 Namespace                 a top-level kind (apiVersion, kind) and its message in this package
 * message Container                 starts a message
 *   1 name string always            field number, JSON name, type, modifiers
 * </pre>
 * Types: string, int32, int64, bool, bytes, Time, MicroTime, IntOrString, Quantity, FieldsV1,
 * RawExtension, map&lt;V&gt; (string keys; V one of string, bytes, Quantity) or a message's simple name.
 * Modifiers mirror the Go field: {@code repeated} (slice), {@code ptr} (pointer), {@code always}
 * (json tag without omitempty), {@code inline} (embedded struct), {@code unsupported} (drydock refuses it).
 * Non-pointer struct fields need no modifier: encoding/json always writes them.
 */
final class Schema {

    private static final Schema INSTANCE = load(SchemaMetaV1.TEXT, SchemaCoreV1.TEXT, SchemaAppsBatchV1.TEXT,
            SchemaAuthenticationV1.TEXT, SchemaPolicyV1.TEXT, SchemaAuthPolicyV1.TEXT);

    private final Map<String, MessageSpec> bySimpleName;
    private final Map<String, MessageSpec> roots;

    private Schema(Map<String, MessageSpec> bySimpleName, Map<String, MessageSpec> roots) {
        this.bySimpleName = bySimpleName;
        this.roots = roots;
    }

    static Schema get() {
        return INSTANCE;
    }

    /** The message for a top-level kind, or null if drydock cannot decode that kind from protobuf. */
    MessageSpec root(String apiVersion, String kind) {
        return roots.get(apiVersion + " " + kind);
    }

    /** The (apiVersion kind) pairs drydock decodes, for error messages and tests. */
    Set<String> rootKinds() {
        return roots.keySet();
    }

    MessageSpec message(String simpleName) {
        MessageSpec spec = bySimpleName.get(simpleName);
        if (spec == null) {
            throw new IllegalStateException("no message " + simpleName + " in the protobuf table");
        }
        return spec;
    }

    static Schema load(String... texts) {
        Map<String, MessageSpec> messages = new HashMap<>();
        Map<String, String> rootNames = new HashMap<>();
        for (String text : texts) {
            parse(text, messages, rootNames);
        }
        Map<String, MessageSpec> roots = new HashMap<>();
        rootNames.forEach((key, name) -> roots.put(key, messages.get(name)));
        Schema schema = new Schema(Map.copyOf(messages), Map.copyOf(roots));
        schema.validate(rootNames);
        return schema;
    }

    private static void parse(String text, Map<String, MessageSpec> messages, Map<String, String> rootNames) {
        String pkg = null;
        String current = null;
        List<FieldSpec> fields = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            try {
                switch (t[0]) {
                    case "package" -> pkg = t[1];
                    case "root" -> rootNames.put(t[1] + " " + t[2], t[2]);
                    case "message" -> {
                        finish(pkg, current, fields, messages);
                        current = t[1];
                        fields = new ArrayList<>();
                    }
                    default -> fields.add(field(t));
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("protobuf table line " + lineNo + " '" + line + "': " + e.getMessage(), e);
            }
        }
        finish(pkg, current, fields, messages);
    }

    private static void finish(String pkg, String name, List<FieldSpec> fields, Map<String, MessageSpec> messages) {
        if (name == null) {
            return;
        }
        if (pkg == null) {
            throw new IllegalStateException("message " + name + " before any package line");
        }
        // Simple names are unique across the packages drydock covers, which keeps the table short.
        if (messages.put(name, new MessageSpec(pkg + "." + name, fields)) != null) {
            throw new IllegalStateException("message " + name + " defined twice");
        }
    }

    private static FieldSpec field(String[] t) {
        int number = Integer.parseInt(t[0]);
        String json = t[1];
        String typeName = t[2];
        Set<String> mods = Set.of(Arrays.copyOfRange(t, 3, t.length));
        for (String m : mods) {
            if (!Set.of("repeated", "ptr", "always", "inline", "unsupported").contains(m)) {
                throw new IllegalArgumentException("unknown modifier " + m);
            }
        }
        boolean map = typeName.startsWith("map<") && typeName.endsWith(">");
        String valueName = map ? typeName.substring(4, typeName.length() - 1) : typeName;
        ValueType type = switch (valueName) {
            case "string" -> ValueType.STRING;
            case "int32" -> ValueType.INT32;
            case "int64" -> ValueType.INT64;
            case "bool" -> ValueType.BOOL;
            case "bytes" -> ValueType.BYTES;
            case "Time" -> ValueType.TIME;
            case "MicroTime" -> ValueType.MICRO_TIME;
            case "IntOrString" -> ValueType.INT_OR_STRING;
            case "Quantity" -> ValueType.QUANTITY;
            case "FieldsV1" -> ValueType.FIELDS_V1;
            case "RawExtension" -> ValueType.RAW_EXTENSION;
            default -> ValueType.MESSAGE;
        };
        return new FieldSpec(number, json, type, type == ValueType.MESSAGE ? valueName : null,
                mods.contains("repeated"), map, mods.contains("ptr"), mods.contains("always"),
                mods.contains("inline"), mods.contains("unsupported"));
    }

    /** Fails fast (at class load, so in every test run) on table mistakes. */
    private void validate(Map<String, String> rootNames) {
        rootNames.forEach((key, name) -> {
            if (!bySimpleName.containsKey(name)) {
                throw new IllegalStateException("root " + key + " names unknown message " + name);
            }
        });
        for (MessageSpec m : bySimpleName.values()) {
            Set<String> jsonNames = new HashSet<>();
            for (FieldSpec f : m.fields()) {
                String where = m.fullName() + " field " + f.number();
                if (f.unsupported()) {
                    // Go always marshals non-pointer structs, so kubectl would send such a field on
                    // every request and nothing could be decoded: refusing it must stay optional.
                    if (f.type().isMessageLike() && !f.pointer() && !f.repeated() && !f.map()) {
                        throw new IllegalStateException(where + ": a non-pointer struct cannot be unsupported");
                    }
                    continue;
                }
                if (f.type() == ValueType.MESSAGE && !bySimpleName.containsKey(f.messageName())) {
                    throw new IllegalStateException(where + " refers to unknown message " + f.messageName());
                }
                if (!f.inline() && !jsonNames.add(f.jsonName())) {
                    throw new IllegalStateException(where + " repeats JSON name " + f.jsonName());
                }
                if (f.inline() && (f.type() != ValueType.MESSAGE || f.repeated() || f.pointer() || f.map())) {
                    throw new IllegalStateException(where + ": only a plain message can be inline");
                }
                if (f.map() && (f.repeated() || f.pointer()
                        || !Set.of(ValueType.STRING, ValueType.BYTES, ValueType.QUANTITY).contains(f.type()))) {
                    throw new IllegalStateException(where + ": maps hold string, bytes or Quantity values");
                }
                if (f.repeated() && f.pointer()) {
                    throw new IllegalStateException(where + ": a slice is not a pointer");
                }
            }
        }
    }
}
