package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Assertions on one pod by name, read through the cluster's API each time they check.
 *
 * <pre>{@code
 * assertThat(cluster).pod("client").eventually().isReady().isOnNode("node-1");
 * }</pre>
 */
public final class PodAssert extends AbstractKubeAssert<PodAssert> {

    private final String namespace;
    private final String name;

    PodAssert(DrydockCluster cluster, Duration wait, String namespace, String name) {
        super(cluster, wait);
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * Asserts that the pod exists (terminating or not).
     *
     * @return this assertion, for chaining
     */
    public PodAssert exists() {
        return check(this::read);
    }

    /**
     * Asserts that the pod does not exist (any more).
     *
     * @return this assertion, for chaining
     */
    public PodAssert doesNotExist() {
        return check(() -> {
            ObjectNode p = Reads.find(cluster, Resource.PODS, namespace, name);
            if (p != null) {
                throw new AssertionError("expected pod " + namespace + "/" + name + " not to exist, but saw "
                        + Reads.pod(p));
            }
        });
    }

    /**
     * Asserts that the pod's {@code Ready} condition is {@code True}, as kube's {@code IsPodReady} decides.
     *
     * @return this assertion, for chaining
     */
    public PodAssert isReady() {
        return check(() -> {
            ObjectNode p = read();
            if (!"True".equals(Json.condition(p, "Ready"))) {
                throw failure("to be Ready", p);
            }
        });
    }

    /**
     * Asserts that the pod is not Ready: its {@code Ready} condition is missing, {@code False} or {@code Unknown}.
     *
     * @return this assertion, for chaining
     */
    public PodAssert isNotReady() {
        return check(() -> {
            ObjectNode p = read();
            if ("True".equals(Json.condition(p, "Ready"))) {
                throw failure("not to be Ready", p);
            }
        });
    }

    /**
     * Asserts the pod's {@code status.phase}: {@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed}
     * or {@code Unknown}.
     *
     * @param phase the phase it should be in
     * @return this assertion, for chaining
     */
    public PodAssert hasPhase(String phase) {
        Objects.requireNonNull(phase, "phase");
        return check(() -> {
            ObjectNode p = read();
            if (!phase.equals(Json.text(p, "status", "phase"))) {
                throw failure("to be in phase " + phase, p);
            }
        });
    }

    /**
     * Asserts that the pod is bound to the node named {@code node} ({@code spec.nodeName}).
     *
     * @param node the node's name
     * @return this assertion, for chaining
     */
    public PodAssert isOnNode(String node) {
        Objects.requireNonNull(node, "node");
        return check(() -> {
            ObjectNode p = read();
            if (!node.equals(Json.text(p, "spec", "nodeName"))) {
                throw failure("to be on node " + node, p);
            }
        });
    }

    /**
     * Asserts whatever {@code requirements} asserts of the pod object (its Kubernetes JSON), e.g. with AssertJ.
     *
     * @param requirements throws an {@link AssertionError} if the pod is not as it should be
     * @return this assertion, for chaining
     */
    public PodAssert satisfies(Consumer<ObjectNode> requirements) {
        return check(() -> {
            ObjectNode p = read();
            try {
                requirements.accept(p);
            } catch (AssertionError e) {
                AssertionError error = new AssertionError("pod " + namespace + "/" + Reads.pod(p) + ": "
                        + e.getMessage());
                error.initCause(e);
                throw error;
            }
        });
    }

    private AssertionError failure(String expected, ObjectNode p) {
        return new AssertionError("expected pod " + namespace + "/" + name + " " + expected + ", but saw "
                + Reads.pod(p));
    }

    private ObjectNode read() {
        ObjectNode p = Reads.find(cluster, Resource.PODS, namespace, name);
        if (p == null) {
            throw new AssertionError("expected pod " + namespace + "/" + name + " to exist, but it does not");
        }
        return p;
    }
}
