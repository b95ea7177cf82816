package dev.drydock.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A missing runtime is named with the module that provides it. */
class RuntimeProvidersTest {

    private static final RuntimeProvider FAKE = provider("fake");

    @Test
    void aRuntimeIsPickedByName() {
        RuntimeProvider other = provider("other");

        assertThat(RuntimeProviders.find("other", List.of(FAKE, other))).isSameAs(other);
        assertThat(RuntimeProviders.find(null, List.of(other, FAKE))).isSameAs(FAKE);
        assertThat(RuntimeProviders.find(null, List.of(other))).isSameAs(other);
    }

    @Test
    void dockerWithoutItsModuleNamesRealRuntime() {
        assertThatThrownBy(() -> RuntimeProviders.find("docker", List.of(FAKE)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no container runtime named 'docker' on the class path: it is provided by "
                        + "dev.drydock:real-runtime; add that as a (test) dependency. Runtimes on the class path: "
                        + "[fake]");
    }

    @Test
    void theDefaultWithoutAnyRuntimeNamesFakeRuntime() {
        assertThatThrownBy(() -> RuntimeProviders.find(null, List.of()))
                .hasMessage("no container runtime named 'fake' on the class path: it is provided by "
                        + "dev.drydock:fake-runtime; add that as a (test) dependency for the default runtime. "
                        + "Runtimes on the class path: []");
    }

    @Test
    void anUnknownNameListsTheKnownRuntimesAndTheirModules() {
        assertThatThrownBy(() -> RuntimeProviders.find("podman", List.of(FAKE)))
                .hasMessage("no container runtime named 'podman'. The known runtimes are 'fake' (provided by "
                        + "dev.drydock:fake-runtime), 'docker' (provided by dev.drydock:real-runtime). Runtimes on "
                        + "the class path: [fake]");
    }

    private static RuntimeProvider provider(String name) {
        return new RuntimeProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ContainerRuntime create(NodeContext node) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
