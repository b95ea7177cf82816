package dev.drydock.junit;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit extension behind {@link Cluster}. It keeps each cluster in the JUnit store of its scope (the class or the
 * method), so JUnit closes it at the end of that scope even when the test fails. Uses only the stable extension API,
 * so it works on JUnit 5 and 6.
 */
public final class DrydockExtension implements BeforeEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DrydockExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        ExtensionContext scope = scope(context);
        findAnnotation(scope).ifPresent(a -> spec(a, scope)); // a bad @Cluster fails here, with its own message
        Object instance = context.getRequiredTestInstance();
        for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == DrydockCluster.class && !Modifier.isStatic(f.getModifiers())
                        && !Modifier.isFinal(f.getModifiers())) {
                    f.setAccessible(true);
                    f.set(instance, cluster(context));
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DrydockCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty() && context.getRequiredTestClass() != null
                && findAnnotation(context).isEmpty()) {
            throw new ParameterResolutionException("no @Cluster on " + context.getRequiredTestClass());
        }
        return cluster(context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        DrydockCluster cluster = existing(context);
        if (cluster != null) {
            throwable.addSuppressed(new ClusterState(cluster));
        }
        throw throwable;
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
        if (annotation.seed() != 0) {
            spec = spec.seed(annotation.seed());
        }
        if (!annotation.runtime().isEmpty()) {
            spec = spec.runtime(annotation.runtime());
        }
        return spec;
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
}
