package dev.drydock.api.protobuf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message of drydock's protobuf table. Fields are kept in the order of the Go struct (which is
 * also the order in generated.proto) so the JSON comes out in the order kube writes it.
 */
final class MessageSpec {

    private final String fullName;
    private final List<FieldSpec> fields;
    private final Map<Integer, FieldSpec> byNumber = new LinkedHashMap<>();

    MessageSpec(String fullName, List<FieldSpec> fields) {
        this.fullName = fullName;
        this.fields = List.copyOf(fields);
        for (FieldSpec f : fields) {
            if (byNumber.put(f.number(), f) != null) {
                throw new IllegalStateException("duplicate field " + f.number() + " in " + fullName);
            }
        }
    }

    /** OpenAPI-style name, e.g. io.k8s.api.core.v1.Container. */
    String fullName() {
        return fullName;
    }

    List<FieldSpec> fields() {
        return fields;
    }

    FieldSpec field(int number) {
        return byNumber.get(number);
    }
}
