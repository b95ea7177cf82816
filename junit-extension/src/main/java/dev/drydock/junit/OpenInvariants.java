package dev.drydock.junit;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes the invariants ({@code cluster.invariant(...)}) a test opened and left open when it ends, and those a
 * {@code @BeforeAll} opened when its class ends: one that was ever violated fails the test (or the class) with its
 * report, naming it, when it broke and the timeline around that moment. Only invariants opened on the test's own
 * thread are its own, so tests running in parallel on a shared cluster close none of each other's. Registered by
 * {@link Cluster}.
 */
public final class OpenInvariants implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpenInvariants.class);
    private static final String BEFORE = "open-before-the-test";

    @Override
    public void beforeEach(ExtensionContext context) {
        // those open before the test (a @BeforeAll's) are the class's, not the test's
        DrydockExtension.clusterOf(context).ifPresent(c -> context.getStore(NAMESPACE).put(BEFORE,
                new ArrayList<>(c.invariants())));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<Invariant> before = context.getStore(NAMESPACE).remove(BEFORE, List.class);
        Optional<DrydockCluster> cluster = DrydockExtension.clusterOf(context);
        if (cluster.isPresent()) {
            close(cluster.get(), before == null ? List.of() : before);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        DrydockExtension.clusterOf(context).ifPresent(c -> close(c, List.of()));
    }

    /** Closes every invariant this thread opened on {@code cluster} but {@code keep}; fails with the violated ones. */
    private static void close(DrydockCluster cluster, List<Invariant> keep) {
        AssertionError failure = null;
        for (Invariant invariant : cluster.invariants()) {
            if (keep.contains(invariant) || !invariant.openedBy(Thread.currentThread())) {
                continue;
            }
            try {
                invariant.close();
            } catch (AssertionError e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
