package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube's {@code $(VAR)} expansion rules, on the pure function. */
class ContainerEnvironmentTest {

    private static final Map<String, String> VARS = Map.of("A", "1", "EMPTY", "");

    @Test
    void definedReferencesExpandAndUndefinedOnesStayAsWritten() {
        assertThat(ContainerEnvironment.expand("$(A)-$(EMPTY)-$(B)", VARS)).isEqualTo("1--$(B)");
        assertThat(ContainerEnvironment.expand("no references", VARS)).isEqualTo("no references");
    }

    @Test
    void aDoubledDollarIsAnEscapedOneAndOtherDollarsAreKept() {
        assertThat(ContainerEnvironment.expand("$$(A) $$ $A $", VARS)).isEqualTo("$(A) $ $A $");
        assertThat(ContainerEnvironment.expand("$$$(A)", VARS)).isEqualTo("$1");
    }

    @Test
    void anUnterminatedReferenceIsKeptAndWhatFollowsIsStillRead() {
        assertThat(ContainerEnvironment.expand("$(A$$x", VARS)).isEqualTo("$(A$x");
        assertThat(ContainerEnvironment.expand("x$(", VARS)).isEqualTo("x$(");
    }
}
