package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Assertions on the pods of one namespace that a label selector picks, listed through the cluster's API each time
 * they check: what {@code kubectl get pods -l <selector>} shows, terminating pods included.
 *
 * <pre>{@code
 * assertThat(cluster).pods("app=web").eventually().hasReadyCount(3).noneOnNode("node-2");
 * }</pre>
 */
public final class PodsAssert extends AbstractKubeAssert<PodsAssert> {

    private final String namespace;
    private final String selector;

    PodsAssert(DrydockCluster cluster, Duration wait, String namespace, String selector) {
        super(cluster, wait);
        this.namespace = namespace;
        this.selector = selector;
    }

    /**
     * Asserts how many pods the selector picks, terminating ones included (as {@code kubectl get pods} lists them).
     *
     * @param expected how many there should be
     * @return this assertion, for chaining
     */
    public PodsAssert hasSize(int expected) {
        return check(() -> {
            List<ObjectNode> pods = list();
            if (pods.size() != expected) {
                throw failure("expected " + expected + " but saw " + pods.size(), pods);
            }
        });
    }

    /**
     * Asserts that the selector picks no pod.
     *
     * @return this assertion, for chaining
     */
    public PodsAssert isEmpty() {
        return hasSize(0);
    }

    /**
     * Asserts how many of the pods are Ready and not terminating: the ones that would serve behind a Service.
     *
     * @param expected how many should be Ready
     * @return this assertion, for chaining
     */
    public PodsAssert hasReadyCount(int expected) {
        return check(() -> {
            List<ObjectNode> pods = list();
            long ready = pods.stream().filter(PodsAssert::readyAndNotTerminating).count();
            if (ready != expected) {
                throw failure("expected " + expected + " Ready but saw " + ready, pods);
            }
        });
    }

    /**
     * Asserts that there is at least one pod and that every one is Ready and not terminating.
     *
     * @return this assertion, for chaining
     */
    public PodsAssert allReady() {
        return check(() -> {
            List<ObjectNode> pods = list();
            List<ObjectNode> notReady = pods.stream().filter(p -> !readyAndNotTerminating(p)).toList();
            if (pods.isEmpty() || !notReady.isEmpty()) {
                throw failure(pods.isEmpty() ? "expected all Ready but there are none"
                        : "expected all Ready but " + notReady.size() + " of " + pods.size() + " are not", pods);
            }
        });
    }

    /**
     * Asserts that none of the pods is bound to the node named {@code node}.
     *
     * @param node the node's name
     * @return this assertion, for chaining
     */
    public PodsAssert noneOnNode(String node) {
        Objects.requireNonNull(node, "node");
        return check(() -> {
            List<ObjectNode> pods = list();
            if (pods.stream().anyMatch(p -> node.equals(Json.text(p, "spec", "nodeName")))) {
                throw failure("expected none on node " + node, pods);
            }
        });
    }

    /**
     * Asserts whatever {@code requirements} asserts of the listed pods (Kubernetes JSON), e.g. with AssertJ.
     *
     * @param requirements throws an {@link AssertionError} if the pods are not as they should be
     * @return this assertion, for chaining
     */
    public PodsAssert satisfies(Consumer<List<ObjectNode>> requirements) {
        return check(() -> {
            List<ObjectNode> pods = list();
            try {
                requirements.accept(pods);
            } catch (AssertionError e) {
                AssertionError error = failure(e.getMessage(), pods);
                error.initCause(e);
                throw error;
            }
        });
    }

    private static boolean readyAndNotTerminating(ObjectNode p) {
        return "True".equals(Json.condition(p, "Ready")) && !Json.isDeleting(p);
    }

    private List<ObjectNode> list() {
        return Reads.items(cluster, Resource.PODS, namespace, selector);
    }

    private AssertionError failure(String what, List<ObjectNode> pods) {
        return new AssertionError("pods in " + namespace + " with labels " + selector + ": " + what + ": "
                + pods.stream().map(Reads::pod).collect(Collectors.joining(", ", "[", "]")));
    }
}
