package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Resource;
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
 * extension never reaches for a class of theirs. Jackson is the user's too: without it, a test fails saying what to
 * add. Proved by running a sample test class in a class loader built from
 * this test's class path without those libraries' jars, which also records any attempt to load one of their classes.
 */
class WithoutClientLibrariesTest {

    private static final List<String> CLIENTS = List.of("io.fabric8.", "io.kubernetes.");
    private static final List<String> JACKSON = List.of("com.fasterxml.jackson.");

    @Test
    void theExtensionRunsAndTouchesNoClientClassWhenNeitherLibraryIsOnTheClassPath() throws Exception {
        try (HidingClassLoader loader = hiding(CLIENTS)) {
            String summary = run(loader, "runSample");

            assertThat(summary).isEqualTo("started=2 succeeded=2 failures=[]");
            assertThat(loader.asked).as("client classes something tried to load").isEmpty();
            assertThatTheIsolatedCopyWasUsed(loader);
        }
    }

    @Test
    void withoutJacksonATestFailsSayingWhatToAdd() throws Exception {
        List<String> hidden = new ArrayList<>(CLIENTS);
        hidden.addAll(JACKSON);
        try (HidingClassLoader loader = hiding(hidden)) {
            String summary = run(loader, "runJacksonlessSample");

            assertThat(summary).startsWith("started=1 succeeded=0 failures=[java.lang.IllegalStateException: "
                    + "drydock needs jackson-databind 2.19 or later on the class path and found none.");
            assertThatTheIsolatedCopyWasUsed(loader);
        }
    }

    /** A class loader of this test's class path without the jars of the hidden packages, refusing their classes. */
    static HidingClassLoader hiding(List<String> packages) throws Exception {
        List<URL> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : testClassPath()) {
            String path = entry.replace(File.separatorChar, '/');
            if (packages.stream().anyMatch(p -> path.contains("/" + p.replace('.', '/')))) {
                dropped.add(entry);
            } else {
                kept.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(dropped).as("the jars this test removes").hasSizeGreaterThanOrEqualTo(packages.size());
        return new HidingClassLoader(kept.toArray(URL[]::new), packages);
    }

    /** Calls one of the static {@code run...} methods below in the isolated class loader. */
    private static String run(ClassLoader loader, String method) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // JUnit and ServiceLoader (runtimes, engines) look there
        try {
            java.lang.reflect.Method run = loader.loadClass(WithoutClientLibrariesTest.class.getName())
                    .getMethod(method);
            run.setAccessible(true);
            return (String) run.invoke(null);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void assertThatTheIsolatedCopyWasUsed(ClassLoader loader) throws ClassNotFoundException {
        assertThat(loader.loadClass(DrydockExtension.class.getName()).getClassLoader()).isSameAs(loader);
    }

    /** Runs {@link Sample} with the test kit; called in the isolated class loader, so all of it is loaded there. */
    public static String runSample() {
        return runWithTestKit(Sample.class);
    }

    /** Runs {@link JacksonlessSample} with the test kit, in the isolated class loader. */
    public static String runJacksonlessSample() {
        return runWithTestKit(JacksonlessSample.class);
    }

    private static String runWithTestKit(Class<?> testClass) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
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
    static final class HidingClassLoader extends URLClassLoader {
        final Set<String> asked = ConcurrentHashMap.newKeySet();
        private final List<String> hidden;

        HidingClassLoader(URL[] urls, List<String> hidden) {
            super("without-" + String.join("-", hidden), urls, ClassLoader.getPlatformClassLoader());
            this.hidden = hidden;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (hidden.stream().anyMatch(name::startsWith)) {
                asked.add(name);
                throw new ClassNotFoundException(name + " (hidden by " + getName() + ")");
            }
            return super.loadClass(name, resolve);
        }
    }

    /** Run only through the isolated test kit above, without Jackson: the cluster cannot start. */
    @Cluster(nodes = 1)
    static class JacksonlessSample {
        @Test
        void needsACluster(DrydockCluster cluster) {
            assertThat(cluster).isNotNull();
        }
    }

    /** Run only through the isolated test kit above. */
    @Cluster(nodes = 1)
    static class Sample {
        static DrydockCluster staticField;
        @Kubeconfig
        static Path kubeconfig;
        private DrydockCluster field;
        @Identity("operator")
        private dev.drydock.cluster.ClientIdentity operator;

        @Test
        void getsTheClusterAndANamespace(DrydockCluster cluster, @TestNamespace String namespace,
                                         @Identity("operator") Path operatorKubeconfig) {
            assertThat(field).isSameAs(cluster).isSameAs(staticField);
            assertThat(kubeconfig).isEqualTo(cluster.kubeconfig());
            assertThat(operatorKubeconfig).isEqualTo(operator.kubeconfig());
            assertThat(cluster.client().get(Resource.NAMESPACES, null, namespace)).isNotNull();
        }

        @Test
        void getsAnotherNamespace(@TestNamespace String namespace, DrydockCluster cluster) {
            assertThat(cluster.client().items(Resource.NODES, null, null)).hasSize(1);
        }
    }
}
