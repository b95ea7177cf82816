package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.FieldError;
import java.util.List;

/**
 * The {@code x-kubernetes-validations} rules of a schema, compiled. Implemented on Google's CEL for Java
 * ({@code dev.cel:cel}), an optional dependency: {@link #compile} loads it only for a schema that has rules, and says
 * which artifact to add when it is missing.
 */
interface CelRules {

    /** The artifact to add for CEL rules; its version is the one drydock is built and tested with. */
    String ARTIFACT = "dev.cel:cel";

    /** The rules' errors for {@code value} (and {@code old} on update, for transition rules and ratcheting). */
    List<FieldError> validate(JsonNode value, JsonNode old);

    /** The compile errors of the rules, at their CRD field paths under {@code schemaPath}. */
    List<FieldError> compileErrors(String schemaPath);

    /**
     * Compiles the rules of a schema.
     *
     * @throws IllegalStateException if the schema has rules and {@value #ARTIFACT} is not on the class path
     */
    static CelRules compile(Schema root) {
        requireCel("dev.cel.bundle.CelFactory");
        try {
            return (CelRules) Class.forName("dev.drydock.api.schema.DevCelRules")
                    .getDeclaredConstructor(Schema.class).newInstance(root);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set up CEL for x-kubernetes-validations: " + e, e);
        }
    }

    /** Checks that a class of CEL is on the class path, else says what to add. */
    static void requireCel(String probe) {
        try {
            Class.forName(probe, false, CelRules.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("This CustomResourceDefinition has x-kubernetes-validations rules, which "
                    + "drydock evaluates with Google's CEL for Java, not on the class path: add the test dependency "
                    + ARTIFACT + " (drydock is built with " + ARTIFACT + ":" + CelVersion.VERSION + ")", e);
        }
    }
}
