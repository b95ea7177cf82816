package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.drydock.client.Resource;
import dev.drydock.cluster.DrydockCluster;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * fabric8 and the official client are optional: a user without them runs {@code @Cluster} tests as before, and the
 * extension never reaches for a class of theirs. Proved by running a sample test class in a class loader built from
 * this test's class path without those libraries' jars, which also records any attempt to load one of their classes.
 */
class WithoutClientLibrariesTest {

    private static final List<String> HIDDEN = List.of("io.fabric8.", "io.kubernetes.");

    @Test
    void theExtensionRunsAndTouchesNoClientClassWhenNeitherLibraryIsOnTheClassPath() throws Exception {
        List<URL> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : testClassPath()) {
            String path = entry.replace(File.separatorChar, '/');
            if (path.contains("/io/fabric8/") || path.contains("/io/kubernetes/")) {
                dropped.add(entry);
            } else {
                kept.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(dropped).as("the client jars this test removes").isNotEmpty();

        try (HidingClassLoader loader = new HidingClassLoader(kept.toArray(URL[]::new))) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader); // JUnit and ServiceLoader (runtimes, engines) look there
            String summary;
            try {
                java.lang.reflect.Method run = loader.loadClass(WithoutClientLibrariesTest.class.getName())
                        .getMethod("runSample");
                run.setAccessible(true);
                summary = (String) run.invoke(null);
            } finally {
                thread.setContextClassLoader(previous);
            }

            assertThat(summary).isEqualTo("started=2 succeeded=2 failures=[]");
            assertThat(loader.asked).as("client classes something tried to load").isEmpty();
            assertThatTheIsolatedCopyWasUsed(loader);
        }
    }

    private static void assertThatTheIsolatedCopyWasUsed(ClassLoader loader) throws ClassNotFoundException {
        assertThat(loader.loadClass(DrydockExtension.class.getName()).getClassLoader()).isSameAs(loader);
    }

    /** Runs {@link Sample} with the test kit; called in the isolated class loader, so all of it is loaded there. */
    public static String runSample() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
                .testEvents();
        String failures = events.failed().stream().map(e -> e.getPayload(
                org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
                .map(Throwable::toString).orElse("?")).collect(Collectors.joining(", ", "[", "]"));
        return "started=" + events.started().count() + " succeeded=" + events.succeeded().count()
                + " failures=" + failures;
    }

    private static List<String> testClassPath() {
        // Surefire runs tests from a manifest-only jar and names the real class path in this property.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    /** Loads everything itself (parent: the platform loader), and refuses and records the client packages. */
    private static final class HidingClassLoader extends URLClassLoader {
        final Set<String> asked = ConcurrentHashMap.newKeySet();

        HidingClassLoader(URL[] urls) {
            super("without-client-libraries", urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (HIDDEN.stream().anyMatch(name::startsWith)) {
                asked.add(name);
                throw new ClassNotFoundException(name + " (hidden by " + getName() + ")");
            }
            return super.loadClass(name, resolve);
        }
    }

    /** Run only through the isolated test kit above. */
    @Cluster(nodes = 1)
    static class Sample {
        private DrydockCluster field;

        @Test
        void getsTheClusterAndANamespace(DrydockCluster cluster, @TestNamespace String namespace) {
            assertThat(field).isSameAs(cluster);
            assertThat(cluster.client().get(Resource.NAMESPACES, null, namespace)).isNotNull();
        }

        @Test
        void getsAnotherNamespace(@TestNamespace String namespace, DrydockCluster cluster) {
            assertThat(cluster.client().items(Resource.NODES, null, null)).hasSize(1);
        }
    }
}
