package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AssertJ and Awaitility are optional: a user without them runs {@code @Cluster} tests, invariants included, and
 * nothing reaches for a class of theirs. Proved by running {@link AssertionlessSample} in a class loader built from
 * this test's class path without their jars, which records any attempt to load one of their classes.
 */
class WithoutAssertionLibrariesTest {

    @Test
    void theExtensionAndTheInvariantsRunWithoutAssertJAndAwaitility() throws Exception {
        try (WithoutClientLibrariesTest.HidingClassLoader loader = WithoutClientLibrariesTest.hiding(
                List.of("org.assertj.", "org.awaitility."))) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader); // JUnit and ServiceLoader (runtimes, engines) look there
            String summary;
            try {
                summary = (String) loader.loadClass(AssertionlessSample.class.getName()).getMethod("run")
                        .invoke(null);
            } finally {
                thread.setContextClassLoader(previous);
            }

            assertThat(summary).isEqualTo("started=2 succeeded=2 failures=[]");
            assertThat(loader.asked).as("AssertJ and Awaitility classes something tried to load").isEmpty();
            assertThat(loader.loadClass(DrydockExtension.class.getName()).getClassLoader()).isSameAs(loader);
        }
    }
}
