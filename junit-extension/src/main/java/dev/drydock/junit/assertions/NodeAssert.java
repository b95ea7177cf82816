package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Assertions on one Node, read through the cluster's API each time they check: its {@code Ready} condition and its
 * taints as {@code kubectl describe node} shows them.
 *
 * <pre>{@code
 * cluster.node("node-2").crash();
 * assertThat(cluster).node("node-2").eventually().isNotReady().hasTaint("node.kubernetes.io/unreachable");
 * }</pre>
 */
public final class NodeAssert extends AbstractKubeAssert<NodeAssert> {

    private final String name;

    NodeAssert(DrydockCluster cluster, Duration wait, String name) {
        super(cluster, wait);
        this.name = name;
    }

    /**
     * Asserts that the Node object exists.
     *
     * @return this assertion, for chaining
     */
    public NodeAssert exists() {
        return check(this::read);
    }

    /**
     * Asserts that the node's {@code Ready} condition is {@code True}.
     *
     * @return this assertion, for chaining
     */
    public NodeAssert isReady() {
        return check(() -> {
            ObjectNode n = read();
            if (!"True".equals(Json.condition(n, "Ready"))) {
                throw failure("to be Ready", n);
            }
        });
    }

    /**
     * Asserts that the node is not Ready: its {@code Ready} condition is {@code False}, {@code Unknown} (the
     * control plane has not heard from it) or missing.
     *
     * @return this assertion, for chaining
     */
    public NodeAssert isNotReady() {
        return check(() -> {
            ObjectNode n = read();
            if ("True".equals(Json.condition(n, "Ready"))) {
                throw failure("not to be Ready", n);
            }
        });
    }

    /**
     * Asserts that the node has a taint with this key, whatever its value and effect.
     *
     * @param key the taint's key, e.g. {@code node.kubernetes.io/unreachable}
     * @return this assertion, for chaining
     */
    public NodeAssert hasTaint(String key) {
        Objects.requireNonNull(key, "key");
        return check(() -> {
            ObjectNode n = read();
            if (!hasTaint(n, key, null)) {
                throw failure("to have a taint " + key, n);
            }
        });
    }

    /**
     * Asserts that the node has a taint with this key and effect.
     *
     * @param key    the taint's key, e.g. {@code node.kubernetes.io/unreachable}
     * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
     * @return this assertion, for chaining
     */
    public NodeAssert hasTaint(String key, String effect) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effect, "effect");
        return check(() -> {
            ObjectNode n = read();
            if (!hasTaint(n, key, effect)) {
                throw failure("to have a taint " + key + ":" + effect, n);
            }
        });
    }

    /**
     * Asserts that the node has no taint with this key.
     *
     * @param key the taint's key
     * @return this assertion, for chaining
     */
    public NodeAssert doesNotHaveTaint(String key) {
        Objects.requireNonNull(key, "key");
        return check(() -> {
            ObjectNode n = read();
            if (hasTaint(n, key, null)) {
                throw failure("to have no taint " + key, n);
            }
        });
    }

    /**
     * Asserts whatever {@code requirements} asserts of the Node object (its Kubernetes JSON), e.g. with AssertJ.
     *
     * @param requirements throws an {@link AssertionError} if the node is not as it should be
     * @return this assertion, for chaining
     */
    public NodeAssert satisfies(Consumer<ObjectNode> requirements) {
        return check(() -> {
            ObjectNode n = read();
            try {
                requirements.accept(n);
            } catch (AssertionError e) {
                AssertionError error = new AssertionError("node " + Reads.node(n) + ": " + e.getMessage());
                error.initCause(e);
                throw error;
            }
        });
    }

    private static boolean hasTaint(JsonNode node, String key, String effect) {
        for (JsonNode t : node.path("spec").path("taints")) {
            if (key.equals(t.path("key").asText()) && (effect == null || effect.equals(t.path("effect").asText()))) {
                return true;
            }
        }
        return false;
    }

    private AssertionError failure(String expected, ObjectNode n) {
        return new AssertionError("expected node " + name + " " + expected + ", but saw " + Reads.node(n));
    }

    private ObjectNode read() {
        ObjectNode n = Reads.find(cluster, Resource.NODES, null, name);
        if (n == null) {
            throw new AssertionError("expected node " + name + " to exist, but it does not");
        }
        return n;
    }
}
