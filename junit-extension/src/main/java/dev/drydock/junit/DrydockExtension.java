package dev.drydock.junit;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit extension behind {@link Cluster}. It keeps each cluster in the JUnit store of its scope (the class or the
 * method), and each test's namespace and clients in the test's store, so JUnit closes them at the end of their scope
 * even when the test fails. Uses only the stable extension API, so it works on JUnit 5 and 6.
 *
 * <p>The fabric8 and official clients are recognised by their class names, and made by classes of their own
 * ({@code Fabric8Client}, {@code OfficialClient}) that are loaded only when a test asks for one: a test class path
 * without those libraries never meets their names.
 */
public final class DrydockExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestExecutionExceptionHandler {

    /** fabric8's client interface, injected when a test asks for it. */
    static final String FABRIC8_CLIENT = "io.fabric8.kubernetes.client.KubernetesClient";
    /** The official Java client's API client, injected when a test asks for it. */
    static final String OFFICIAL_CLIENT = "io.kubernetes.client.openapi.ApiClient";
    /** Set on each test namespace: the test it belongs to, for whoever finds it in a dump. */
    static final String TEST_ANNOTATION = "drydock.dev/test";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DrydockExtension.class);
    /**
     * The test namespace of the test running on this thread, and on the threads it starts (an invariant's checker),
     * cleared when the test ends so that a thread outliving it sees none.
     */
    private static final InheritableThreadLocal<CurrentNamespace> CURRENT = new InheritableThreadLocal<>();
    /** kube's {@code maxGeneratedNameLength}: the server keeps 58 characters of a generateName and adds 5. */
    private static final int MAX_GENERATE_NAME = 58;

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        ExtensionContext scope = scope(context);
        findAnnotation(scope).ifPresent(a -> spec(a, scope)); // a bad @Cluster fails here, with its own message
        Object instance = context.getRequiredTestInstance();
        for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                    continue;
                }
                boolean namespace = f.isAnnotationPresent(TestNamespace.class);
                if (namespace && f.getType() != String.class) {
                    throw new IllegalStateException("@TestNamespace goes on a String field, not on " + f);
                }
                if (namespace || injectable(f.getType())) {
                    f.setAccessible(true);
                    f.set(instance, value(f.getType(), namespace, context));
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CurrentNamespace current = CURRENT.get();
        if (current != null) {
            current.clear();
            CURRENT.remove();
        }
    }

    /**
     * The {@link TestNamespace} of the test running on this thread (or on the thread that started this one), if that
     * test asked for one and runs on {@code cluster}: the namespace the assertions of
     * {@code dev.drydock.junit.assertions} read by default, as an injected fabric8 client does.
     *
     * @param cluster the cluster the caller reads
     * @return the test's namespace, or empty outside a test, for a test without one, or for another cluster
     */
    public static Optional<String> currentNamespace(DrydockCluster cluster) {
        CurrentNamespace current = CURRENT.get();
        if (current == null || current.cluster != cluster) {
            return Optional.empty();
        }
        return Optional.ofNullable(current.name);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(TestNamespace.class)) {
            if (type != String.class) {
                throw new ParameterResolutionException("@TestNamespace goes on a String parameter, not on "
                        + parameter.getParameter() + " of " + parameter.getDeclaringExecutable());
            }
            return true;
        }
        return injectable(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty() && context.getRequiredTestClass() != null
                && findAnnotation(context).isEmpty()) {
            throw new ParameterResolutionException("no @Cluster on " + context.getRequiredTestClass());
        }
        return value(parameter.getParameter().getType(), parameter.isAnnotated(TestNamespace.class), context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        DrydockCluster cluster = existing(context);
        if (cluster != null) {
            throwable.addSuppressed(new ClusterState(cluster));
        }
        throw throwable;
    }

    /** Whether a parameter or field of this type gets a value; by name, so that no client class is loaded here. */
    private static boolean injectable(Class<?> type) {
        return type == DrydockCluster.class || type.getName().equals(FABRIC8_CLIENT)
                || type.getName().equals(OFFICIAL_CLIENT);
    }

    private static Object value(Class<?> type, boolean testNamespace, ExtensionContext context) {
        if (testNamespace) {
            return testNamespace(context);
        }
        if (type == DrydockCluster.class) {
            return cluster(context);
        }
        if (type.getName().equals(FABRIC8_CLIENT)) {
            // Outside a test (a @BeforeAll method) there is no test namespace: the client defaults to "default".
            return client(context, "fabric8", () -> Fabric8Client.open(cluster(context).apiUrl(),
                    context.getTestMethod().isPresent() ? testNamespace(context) : "default"));
        }
        if (type.getName().equals(OFFICIAL_CLIENT)) {
            return client(context, "official", () -> OfficialClient.open(cluster(context).apiUrl()));
        }
        throw new ParameterResolutionException("drydock does not inject " + type.getName());
    }

    /** The cluster for this context: the method's own if the method is annotated, else the class's. */
    private static DrydockCluster cluster(ExtensionContext context) {
        ExtensionContext scope = scope(context);
        Cluster annotation = findAnnotation(scope).orElseThrow(() ->
                new ParameterResolutionException("no @Cluster on " + scope.getDisplayName()));
        // Keyed by scope: stores inherit their parents' entries, so a method must not find its class's cluster.
        return scope.getStore(NAMESPACE).getOrComputeIfAbsent(scope.getUniqueId(),
                k -> new Holder(DrydockCluster.start(spec(annotation, scope))), Holder.class).cluster;
    }

    /** A client made once per context (a test, or the class for {@code @BeforeAll}) and closed with it. */
    private static Object client(ExtensionContext context, String kind,
                                 Supplier<OpenClient> open) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(kind + "-client:" + context.getUniqueId(),
                k -> open.get(), OpenClient.class).client;
    }

    /** The name of the test's own namespace, created on first use. */
    private static String testNamespace(ExtensionContext context) {
        Method method = context.getTestMethod().orElseThrow(() -> new ParameterResolutionException(
                "a @TestNamespace belongs to one test; " + context.getDisplayName() + " is not a test method"));
        DrydockCluster cluster = cluster(context);
        // A cluster of the method's own goes with the method, and its namespaces with it.
        boolean shared = scope(context) != context;
        String name = context.getStore(NAMESPACE).getOrComputeIfAbsent("test-namespace:" + context.getUniqueId(),
                k -> new NamespaceHolder(cluster, TestNamespaces.create(cluster, method), shared),
                NamespaceHolder.class).name;
        CurrentNamespace current = CURRENT.get();
        if (current == null || current.cluster != cluster || !name.equals(current.name)) {
            CURRENT.set(new CurrentNamespace(cluster, name));
        }
        return name;
    }

    /**
     * A DNS label prefix from a test method's name: {@code createsAPod} becomes {@code creates-a-pod}; short enough
     * that the server's generated suffix fits in 63 characters.
     */
    static String namespacePrefix(String methodName) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < methodName.length(); i++) {
            char ch = methodName.charAt(i);
            char previous = i > 0 ? methodName.charAt(i - 1) : 0;
            char next = i + 1 < methodName.length() ? methodName.charAt(i + 1) : 0;
            if (isUpper(ch) && (isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next)))) {
                s.append('-'); // a word starts: creates|A|Pod, HTTP|Works
            }
            if (isLower(ch) || isDigit(ch)) {
                s.append(ch);
            } else if (isUpper(ch)) {
                s.append((char) (ch - 'A' + 'a'));
            } else if (s.length() > 0 && s.charAt(s.length() - 1) != '-') {
                s.append('-');
            }
        }
        String prefix = s.length() > MAX_GENERATE_NAME - 1 ? s.substring(0, MAX_GENERATE_NAME - 1) : s.toString();
        while (prefix.endsWith("-")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix.isEmpty() ? "test" : prefix;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static DrydockCluster existing(ExtensionContext context) {
        ExtensionContext scope = scope(context);
        Holder h = scope.getStore(NAMESPACE).get(scope.getUniqueId(), Holder.class);
        return h == null ? null : h.cluster;
    }

    private static ExtensionContext scope(ExtensionContext context) {
        if (context.getTestMethod().isPresent()
                && AnnotationSupport.isAnnotated(context.getTestMethod(), Cluster.class)) {
            return context;
        }
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static Optional<Cluster> findAnnotation(ExtensionContext scope) {
        if (scope.getTestMethod().isPresent()) {
            Optional<Cluster> onMethod = AnnotationSupport.findAnnotation(scope.getTestMethod(), Cluster.class);
            if (onMethod.isPresent()) {
                return onMethod;
            }
        }
        for (ExtensionContext c = scope; c != null; c = c.getParent().orElse(null)) {
            Optional<Cluster> onClass = AnnotationSupport.findAnnotation(c.getTestClass(), Cluster.class);
            if (onClass.isPresent()) {
                return onClass;
            }
        }
        return Optional.empty();
    }

    /**
     * The spec an annotation asks for.
     *
     * @throws IllegalArgumentException naming the annotation, where it is, and the bad value
     */
    static ClusterSpec spec(Cluster annotation, ExtensionContext scope) {
        String where = "@Cluster on " + scope.getTestMethod().map(m -> m.getDeclaringClass().getName() + "."
                + m.getName() + "()").orElseGet(() -> scope.getTestClass().map(Class::getName)
                .orElse(scope.getDisplayName()));
        ClusterSpec spec;
        try {
            spec = ClusterSpec.create().nodes(annotation.nodes()).nodeMaxPods(annotation.nodeMaxPods());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        try {
            spec = spec.nodeCapacity(annotation.nodeCpu(), annotation.nodeMemory());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " (nodeCpu = \"" + annotation.nodeCpu() + "\", nodeMemory = \""
                    + annotation.nodeMemory() + "\"): " + e.getMessage(), e);
        }
        try {
            spec = spec.storeReplicas(annotation.storeReplicas());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (annotation.seed() != 0) {
            spec = spec.seed(annotation.seed());
        }
        if (!annotation.runtime().isEmpty()) {
            spec = spec.runtime(annotation.runtime());
        }
        return spec;
    }

    /**
     * A test's namespace on its cluster; emptied when the test ends, so that threads that inherited it (pools started
     * from the test's thread) neither see it nor keep the cluster from being collected.
     */
    private static final class CurrentNamespace {
        volatile DrydockCluster cluster;
        volatile String name;

        CurrentNamespace(DrydockCluster cluster, String name) {
            this.cluster = cluster;
            this.name = name;
        }

        void clear() {
            cluster = null;
            name = null;
        }
    }

    /** Closes the cluster when JUnit closes the store of its scope (on JUnit 5 and 6 alike). */
    @SuppressWarnings("deprecation")
    private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final DrydockCluster cluster;

        Holder(DrydockCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    /**
     * A test's namespace; deleted when the test's store closes, without waiting for the namespace controller to
     * empty it, so that the next test starts at once.
     */
    @SuppressWarnings("deprecation")
    private static final class NamespaceHolder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final DrydockCluster cluster;
        final String name;
        final boolean delete;

        NamespaceHolder(DrydockCluster cluster, String name, boolean delete) {
            this.cluster = cluster;
            this.name = name;
            this.delete = delete;
        }

        @Override
        public void close() {
            if (!delete) {
                return;
            }
            TestNamespaces.delete(cluster, name);
        }
    }

    /**
     * A client of one of the optional libraries, held as an {@code Object} so that this class names none of their
     * types, and closed with the store of the context that asked for it.
     */
    @SuppressWarnings("deprecation")
    static final class OpenClient implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final Object client;
        private final Runnable release;

        OpenClient(Object client, Runnable release) {
            this.client = client;
            this.release = release;
        }

        @Override
        public void close() {
            release.run();
        }
    }

    /** The cluster of the context's scope if one was started, without starting one (for {@link FailureReports}). */
    static DrydockCluster startedCluster(ExtensionContext context) {
        return existing(context);
    }
}
