package dev.drydock.junit;

import dev.drydock.cluster.ClientIdentity;
import dev.drydock.cluster.DrydockCluster;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit extension behind {@link Cluster}. It keeps each cluster in the JUnit store of its scope (the class, the
 * test, or for a {@code shared} cluster the run's root), and each test's namespace and clients in the test's store,
 * so JUnit closes them at the end of their scope even when the test fails. It keeps no state of its own but a
 * thread's current test namespace, so tests and classes may run in parallel. Uses only the stable extension API, so
 * it works on JUnit 5 and 6.
 *
 * <p>The fabric8 and official clients are recognised by their class names, and made by classes of their own
 * ({@code Fabric8Client}, {@code OfficialClient}) that are loaded only when a test asks for one: a test class path
 * without those libraries never meets their names.
 */
public final class DrydockExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    /** fabric8's client interface, injected when a test asks for it. */
    static final String FABRIC8_CLIENT = "io.fabric8.kubernetes.client.KubernetesClient";
    /** The official Java client's API client, injected when a test asks for it. */
    static final String OFFICIAL_CLIENT = "io.kubernetes.client.openapi.ApiClient";
    /** Set on each test namespace: the test it belongs to, for whoever finds it in a dump. */
    static final String TEST_ANNOTATION = "drydock.dev/test";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DrydockExtension.class);
    /**
     * The test namespace of the test running on this thread, and on the threads it starts (an invariant's checker),
     * cleared when the test ends so that a thread outliving it sees none.
     */
    private static final InheritableThreadLocal<CurrentNamespace> CURRENT = new InheritableThreadLocal<>();
    /** kube's {@code maxGeneratedNameLength}: the server keeps 58 characters of a generateName and adds 5. */
    private static final int MAX_GENERATE_NAME = 58;

    /** Sets the test class's static fields that ask for a value; the class's cluster starts here if one does. */
    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        List<Field> injected = new ArrayList<>();
        for (Class<?> c = context.getRequiredTestClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    Optional<Wanted> wanted = wanted(f);
                    if (wanted.isPresent()) {
                        if (wanted.get().testNamespace) {
                            throw new IllegalStateException("@TestNamespace on the static field " + f + ": a "
                                    + "namespace belongs to one test; make the field an instance field");
                        }
                        f.setAccessible(true);
                        f.set(null, value(wanted.get(), context));
                        injected.add(f);
                    }
                }
            }
        }
        if (!injected.isEmpty()) {
            context.getStore(NAMESPACE).put("static-fields:" + context.getUniqueId(), injected);
        }
    }

    /** Clears the static fields {@link #beforeAll} set, so that nothing keeps the closed cluster and clients. */
    @Override
    public void afterAll(ExtensionContext context) throws IllegalAccessException {
        @SuppressWarnings("unchecked")
        List<Field> injected = context.getStore(NAMESPACE).remove("static-fields:" + context.getUniqueId(), List.class);
        if (injected != null) {
            for (Field f : injected) {
                f.set(null, null);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        // A pool thread may have inherited another test's namespace when it was made: this test starts with none.
        CURRENT.remove();
        Optional<Located> located = locate(context);
        if (located.isPresent()) {
            ClusterOptions options = located.get().options(context); // a bad @Cluster fails here, with its message
            if (!options.shared().isEmpty()) {
                SharedHolder h = context.getRoot().getStore(NAMESPACE).get(sharedKey(options.shared()),
                        SharedHolder.class);
                if (h != null) {
                    checkShared(h, options, located.get());
                }
            }
        }
        // The test's instance and, for a @Nested class, the instances of its enclosing classes.
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    Optional<Wanted> wanted = wanted(f);
                    if (wanted.isPresent()) {
                        f.setAccessible(true);
                        f.set(instance, value(wanted.get(), context));
                    }
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

    /**
     * The cluster a test (or a test class) of this extension runs on, if it has been started; never starts one. For
     * other extensions that report on the cluster, e.g. when a test fails.
     *
     * @param context a test's or a test class's context
     * @return its cluster, or empty if it has none (no {@code @Cluster}, not started yet, a class whose clusters are
     *         {@code PER_METHOD}, or an annotation with a bad value)
     */
    public static Optional<DrydockCluster> clusterOf(ExtensionContext context) {
        Optional<Located> located;
        try {
            located = locate(context);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (located.isEmpty()) {
            return Optional.empty();
        }
        Located l = located.get();
        if (!l.annotation.shared().isEmpty()) {
            SharedHolder h = context.getRoot().getStore(NAMESPACE).get(sharedKey(l.annotation.shared()),
                    SharedHolder.class);
            return h == null ? Optional.empty() : Optional.of(h.cluster);
        }
        if (l.perTest() && context.getTestMethod().isEmpty()) {
            return Optional.empty();
        }
        ExtensionContext owner = l.perTest() ? context : l.classContext;
        Holder h = owner.getStore(NAMESPACE).get(clusterKey(owner), Holder.class);
        return h == null ? Optional.empty() : Optional.of(h.cluster);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        String where = parameter.getParameter() + " of " + parameter.getDeclaringExecutable();
        Optional<Identity> identity = parameter.findAnnotation(Identity.class);
        if (type == ClientIdentity.class && identity.isEmpty()) {
            throw new ParameterResolutionException("a ClientIdentity needs a name: annotate " + where
                    + " with @Identity(\"name\")");
        }
        return wanted(type, parameter.isAnnotated(TestNamespace.class), identity.orElse(null),
                parameter.isAnnotated(Kubeconfig.class), where).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        String where = parameter.getParameter() + " of " + parameter.getDeclaringExecutable();
        Wanted wanted = wanted(type, parameter.isAnnotated(TestNamespace.class),
                parameter.findAnnotation(Identity.class).orElse(null), parameter.isAnnotated(Kubeconfig.class), where)
                .orElseThrow(() -> new ParameterResolutionException("drydock does not inject " + where));
        return value(wanted, context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Optional<DrydockCluster> cluster = clusterOf(context);
        if (cluster.isPresent()) {
            throwable.addSuppressed(new ClusterState(cluster.get()));
        }
        throw throwable;
    }

    /** What a field asks for, if anything. */
    private static Optional<Wanted> wanted(Field f) {
        Optional<Wanted> wanted = wanted(f.getType(), f.isAnnotationPresent(TestNamespace.class),
                f.getAnnotation(Identity.class), f.isAnnotationPresent(Kubeconfig.class), "the field " + f);
        if (Modifier.isFinal(f.getModifiers())) {
            if (f.isAnnotationPresent(TestNamespace.class) || f.isAnnotationPresent(Identity.class)
                    || f.isAnnotationPresent(Kubeconfig.class)) {
                throw new IllegalStateException("the field " + f + " is final: drydock cannot set it");
            }
            return Optional.empty(); // a final field of an injectable type is the test's own
        }
        return wanted;
    }

    /**
     * What a parameter or field of this type and these annotations asks for: empty if nothing of drydock's, an
     * exception naming it if its annotations do not fit its type. Types by name, so that no client class is loaded.
     */
    private static Optional<Wanted> wanted(Class<?> type, boolean testNamespace, Identity identity,
                                           boolean kubeconfig, String where) {
        boolean fabric8 = type.getName().equals(FABRIC8_CLIENT);
        boolean official = type.getName().equals(OFFICIAL_CLIENT);
        if (testNamespace) {
            if (type != String.class || identity != null || kubeconfig) {
                throw new ParameterResolutionException("@TestNamespace goes on a String parameter or field, alone, "
                        + "not on " + where);
            }
            return Optional.of(new Wanted(type, true, null, false, where));
        }
        if (identity != null) {
            if (!(type == ClientIdentity.class || type == Path.class || fabric8 || official)) {
                throw new ParameterResolutionException("@Identity goes on a ClientIdentity, a kubeconfig Path, a "
                        + "fabric8 KubernetesClient or an official ApiClient, not on " + where);
            }
            return Optional.of(new Wanted(type, false, identity.value(), kubeconfig, where));
        }
        if (kubeconfig) {
            if (type != Path.class) {
                throw new ParameterResolutionException("@Kubeconfig goes on a java.nio.file.Path, not on " + where);
            }
            return Optional.of(new Wanted(type, false, null, true, where));
        }
        if (type == DrydockCluster.class || fabric8 || official) {
            return Optional.of(new Wanted(type, false, null, false, where));
        }
        return Optional.empty();
    }

    private static Object value(Wanted wanted, ExtensionContext context) {
        if (wanted.testNamespace) {
            return testNamespace(context);
        }
        Class<?> type = wanted.type;
        if (type == DrydockCluster.class) {
            return cluster(context);
        }
        // Outside a test (@BeforeAll, static fields) there is no test namespace: fabric8 clients default to "default".
        Supplier<String> namespace = () -> context.getTestMethod().isPresent() ? testNamespace(context) : "default";
        if (wanted.identity != null) {
            ClientIdentity identity = identity(context, wanted);
            if (type == ClientIdentity.class) {
                return identity;
            }
            if (type == Path.class) {
                return identity.kubeconfig();
            }
            if (type.getName().equals(FABRIC8_CLIENT)) {
                return client(context, "fabric8@" + identity.name(), () -> Fabric8Client.open(
                        cluster(context).apiUrl(), namespace.get(), identity.token()));
            }
            return client(context, "official@" + identity.name(), () -> OfficialClient.open(
                    cluster(context).apiUrl(), identity.token()));
        }
        if (wanted.kubeconfig) {
            return cluster(context).kubeconfig();
        }
        if (type.getName().equals(FABRIC8_CLIENT)) {
            return client(context, "fabric8", () -> Fabric8Client.open(cluster(context).apiUrl(), namespace.get(),
                    null));
        }
        if (type.getName().equals(OFFICIAL_CLIENT)) {
            return client(context, "official", () -> OfficialClient.open(cluster(context).apiUrl(), null));
        }
        throw new ParameterResolutionException("drydock does not inject " + wanted.where);
    }

    private static ClientIdentity identity(ExtensionContext context, Wanted wanted) {
        DrydockCluster cluster = cluster(context);
        try {
            return cluster.identity(wanted.identity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@Identity(\"" + wanted.identity + "\") on " + wanted.where + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The cluster for this context, started on first use: a shared one from the run's root store, the test's own
     * (a method annotation, or {@code PER_METHOD}), or the annotated class's.
     */
    private static DrydockCluster cluster(ExtensionContext context) {
        Located l = locate(context).orElseThrow(() -> new ParameterResolutionException("no @Cluster on "
                + context.getDisplayName()));
        ClusterOptions options = l.options(context);
        if (!options.shared().isEmpty()) {
            SharedHolder h = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(sharedKey(options.shared()),
                    k -> new SharedHolder(options, l.where, DrydockCluster.start(options.spec())), SharedHolder.class);
            checkShared(h, options, l);
            return h.cluster;
        }
        ExtensionContext owner;
        if (l.perTest()) {
            if (context.getTestMethod().isEmpty()) {
                throw new IllegalStateException(l.where + " has lifecycle = PER_METHOD: each test has a cluster of its "
                        + "own, so " + context.getDisplayName() + " (a @BeforeAll method, a static field, a "
                        + "constructor) has none; use a @BeforeEach method or an instance field");
            }
            owner = context;
        } else {
            owner = l.classContext;
        }
        // Keyed by scope: stores inherit their parents' entries, so a method must not find its class's cluster.
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(clusterKey(owner),
                k -> new Holder(DrydockCluster.start(options.spec())), Holder.class).cluster;
    }

    /** A class asking for another cluster under a shared name than the one started is told so, and how they differ. */
    private static void checkShared(SharedHolder h, ClusterOptions options, Located l) {
        if (!h.options.equals(options)) {
            throw new IllegalStateException("@Cluster(shared = \"" + options.shared() + "\"): " + l.where
                    + " asks for another cluster than " + h.origin + ", which started it: "
                    + options.differencesFrom(h.options) + ". Classes sharing a cluster must ask for the same "
                    + "one: make their @Cluster (and @Node) attributes equal, or give them different shared "
                    + "names");
        }
    }

    private static String clusterKey(ExtensionContext owner) {
        return "cluster:" + owner.getUniqueId();
    }

    private static String sharedKey(String name) {
        return "shared-cluster:" + name;
    }

    /** A client made once per context (a test, or the class for {@code @BeforeAll}) and closed with it. */
    private static Object client(ExtensionContext context, String kind, Supplier<OpenClient> open) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(kind + "-client:" + context.getUniqueId(),
                k -> open.get(), OpenClient.class).client;
    }

    /** The name of the test's own namespace, created on first use. */
    private static String testNamespace(ExtensionContext context) {
        Method method = context.getTestMethod().orElseThrow(() -> new ParameterResolutionException(
                "a @TestNamespace belongs to one test; " + context.getDisplayName() + " is not a test method"));
        DrydockCluster cluster = cluster(context);
        // A cluster of the test's own goes with the test, and its namespaces with it.
        Located l = locate(context).orElseThrow();
        boolean delete = !l.annotation.shared().isEmpty() || !l.perTest();
        String name = context.getStore(NAMESPACE).getOrComputeIfAbsent("test-namespace:" + context.getUniqueId(),
                k -> new NamespaceHolder(cluster, TestNamespaces.create(cluster, method), delete),
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

    /**
     * The {@code @Cluster} that applies to a context: on the test method, else on the nearest enclosing test class
     * ({@code @Nested} classes use their outer class's), with the {@link Node}s beside it.
     *
     * @throws IllegalArgumentException for {@code @Node}s on a test method without {@code @Cluster}
     */
    private static Optional<Located> locate(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<Cluster> onMethod = AnnotationSupport.findAnnotation(method.get(), Cluster.class);
            List<Node> nodes = nodes(method.get());
            Method m = method.get();
            String where = "@Cluster on " + m.getDeclaringClass().getName() + "." + m.getName() + "()";
            if (onMethod.isPresent()) {
                return Optional.of(new Located(onMethod.get(), nodes, where, null));
            }
            if (!nodes.isEmpty()) {
                throw new IllegalArgumentException("@Node on " + m.getDeclaringClass().getName() + "." + m.getName()
                        + "() stands beside no @Cluster: the nodes of a class's cluster go on the class, beside its "
                        + "@Cluster; or put a @Cluster on the method to give it a cluster of its own");
            }
        }
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isPresent()) {
                continue;
            }
            Optional<Class<?>> type = c.getTestClass();
            if (type.isEmpty()) {
                break;
            }
            Optional<Cluster> onClass = AnnotationSupport.findAnnotation(type.get(), Cluster.class);
            if (onClass.isPresent()) {
                return Optional.of(new Located(onClass.get(), nodes(type.get()),
                        "@Cluster on " + type.get().getName(), c));
            }
        }
        return Optional.empty();
    }

    /**
     * The {@link Node}s on a class or method, in order. By reflection first, as JUnit's
     * {@code findRepeatableAnnotations} keeps one of equal annotations, and two equal {@code @Node}s are two nodes;
     * by JUnit's search where none are there directly, to find them on a composed annotation.
     */
    private static List<Node> nodes(AnnotatedElement element) {
        Node[] direct = element.getAnnotationsByType(Node.class);
        return direct.length > 0 ? List.of(direct) : AnnotationSupport.findRepeatableAnnotations(element, Node.class);
    }

    /**
     * A {@code @Cluster} found for a context.
     *
     * @param classContext the context of the annotated class, or null for an annotation on the test method
     */
    private record Located(Cluster annotation, List<Node> nodes, String where, ExtensionContext classContext) {

        /** Whether each test gets a cluster of its own. */
        boolean perTest() {
            return annotation.shared().isEmpty()
                    && (classContext == null || annotation.lifecycle() == Cluster.Lifecycle.PER_METHOD);
        }

        ClusterOptions options(ExtensionContext context) {
            return ClusterOptions.of(annotation, nodes, where,
                    context.getConfigurationParameter(ClusterOptions.SEED_PARAMETER));
        }
    }

    /** What a parameter or field asks for. */
    private record Wanted(Class<?> type, boolean testNamespace, String identity, boolean kubeconfig, String where) {
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
     * A shared cluster, in the run's root store: the options it was started with and by whom, to tell a class that
     * asks for another one under the same name.
     */
    @SuppressWarnings("deprecation")
    private static final class SharedHolder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final ClusterOptions options;
        final String origin;
        final DrydockCluster cluster;

        SharedHolder(ClusterOptions options, String origin, DrydockCluster cluster) {
            this.options = options;
            this.origin = origin;
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
}
