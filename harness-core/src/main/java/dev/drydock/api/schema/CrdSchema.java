package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * One version's {@code schema.openAPIV3Schema} of a CustomResourceDefinition, compiled, with what kube's
 * apiextensions-apiserver does with it to a custom resource: defaulting, pruning, and validation (schema, embedded
 * resources, list types, {@code x-kubernetes-validations}), all worded as kube words them.
 *
 * <p>A request's object goes through {@link #defaults}, then {@link #prune} (whose paths become the errors or
 * warnings of {@code fieldValidation=Strict}/{@code Warn}: {@code unknown field "spec.foo"}), then
 * {@link #validate} and {@link #validateMetadata}. An object read from storage goes through {@link #defaults} and
 * {@link #prune} too, as kube defaults and prunes when it decodes from etcd.
 *
 * <pre>{@code
 * CrdSchema schema = CrdSchema.compile(version.at("/schema/openAPIV3Schema"));
 * schema.defaults(obj);
 * List<String> unknown = schema.prune(obj);
 * List<FieldError> errors = schema.validate(obj, null);
 * }</pre>
 */
public final class CrdSchema {

    private final Schema schema;
    private final CelRules rules;

    private CrdSchema(Schema schema, CelRules rules) {
        this.schema = schema;
        this.rules = rules;
    }

    /**
     * Compiles a structural schema (check it first with {@link #structuralErrors} or
     * {@link CrdValidation#validate}).
     *
     * @throws IllegalStateException if the schema has {@code x-kubernetes-validations} rules and Google's CEL
     *                               ({@code dev.cel:cel}) is not on the class path; the message says what to add
     */
    public static CrdSchema compile(JsonNode openAPIV3Schema) {
        Schema s = Schema.of(openAPIV3Schema);
        return new CrdSchema(s, s.hasRules() ? CelRules.compile(s) : null);
    }

    /** The errors that make a schema non-structural, at {@code path} (e.g. {@code spec.validation.openAPIV3Schema}). */
    public static List<FieldError> structuralErrors(String path, JsonNode openAPIV3Schema) {
        return StructuralCheck.check(path, Schema.of(openAPIV3Schema));
    }

    /** Whether the schema has {@code x-kubernetes-validations} rules (and so needs CEL). */
    public boolean hasRules() {
        return rules != null;
    }

    /** Applies the schema's defaults to a custom resource, in place. */
    public void defaults(ObjectNode obj) {
        Defaulting.apply(obj, schema);
    }

    /**
     * Prunes what the schema does not declare, in place: unknown fields, nulls that are neither allowed nor defaulted,
     * unknown ObjectMeta fields.
     *
     * @return the paths of the unknown fields removed, sorted ({@code spec.foo}, {@code metadata.bar})
     */
    public List<String> prune(ObjectNode obj) {
        List<String> unknown = Pruning.prune(obj, schema);
        Defaulting.pruneNulls(obj, schema);
        return unknown;
    }

    /**
     * Validates a custom resource (after defaulting and pruning) against the schema, its embedded resources, list
     * types and CEL rules.
     *
     * @param old the object before an update, or {@code null} on create: transition rules need it, and values that
     *            did not change keep passing (kube's ratcheting)
     */
    public List<FieldError> validate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(SchemaValidator.validate(null, schema, obj, old));
        errors.addAll(ObjectMetaCheck.embedded(schema, obj));
        errors.addAll(listTypes(obj, old));
        errors.addAll(rules(obj, old, errors));
        return errors;
    }

    /**
     * Validates an update through the {@code status} subresource: the status against its schema (at {@code status}),
     * embedded resources, list types and CEL rules of the whole object.
     */
    public List<FieldError> validateStatus(ObjectNode obj, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>();
        Schema status = schema.property("status");
        JsonNode value = obj.get("status");
        if (status != null && value != null) {
            errors.addAll(SchemaValidator.validate("status", status, value, old == null ? null : old.get("status")));
        }
        errors.addAll(ObjectMetaCheck.embedded(schema, obj));
        errors.addAll(listTypes(obj, old));
        errors.addAll(rules(obj, old, errors));
        return errors;
    }

    /** The custom resource's own metadata, as kube validates a custom resource's ObjectMeta. */
    public static List<FieldError> validateMetadata(ObjectNode obj, boolean namespaced) {
        return ObjectMetaCheck.resourceMeta(obj, namespaced);
    }

    /** The compile errors of the schema's CEL rules, at their paths under {@code schemaPath}. */
    List<FieldError> ruleCompileErrors(String schemaPath) {
        return rules == null ? List.of() : rules.compileErrors(schemaPath);
    }

    private List<FieldError> listTypes(ObjectNode obj, ObjectNode old) {
        // On update kube checks list types only if the old object passed them (ratcheting).
        if (old != null && !ListTypeCheck.check(schema, old).isEmpty()) {
            return List.of();
        }
        return ListTypeCheck.check(schema, obj);
    }

    private List<FieldError> rules(ObjectNode obj, ObjectNode old, List<FieldError> sofar) {
        if (rules == null) {
            return List.of();
        }
        for (FieldError e : sofar) {
            switch (e.type()) {
                case NOT_SUPPORTED, REQUIRED, TOO_LONG, TOO_MANY, TYPE_INVALID -> {
                    return List.of(FieldError.invalid("<nil>", null, "some validation rules were not checked because "
                            + "the object was invalid; correct the existing errors to complete validation"));
                }
                default -> {
                }
            }
        }
        return rules.validate(obj, old);
    }
}
