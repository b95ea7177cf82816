package dev.drydock.junit.assertions;

import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a drydock cluster, made by {@link DrydockAssertions#assertThat(DrydockCluster)}: the door to
 * assertions on its Deployments, pods, nodes and events, and to invariants checked while a block runs.
 *
 * <p>Everything is read through the cluster's Kubernetes API, as {@code kubectl get} shows it. Namespaced objects
 * are looked up in the test's {@link dev.drydock.junit.TestNamespace} when the test has one, else in
 * {@code default}, unless {@link #inNamespace(String)} names another.
 *
 * <pre>{@code
 * assertThat(cluster).deployment("web").eventually().hasAvailableReplicas(3);
 * assertThat(cluster).pods("app=web").allReady();
 * assertThat(cluster).node("node-2").within(Duration.ofSeconds(10)).isNotReady();
 * assertThat(cluster).events().about("Pod", "big").eventually().containsReason("FailedScheduling");
 * }</pre>
 */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, DrydockCluster> {

    private String namespace;
    private Duration wait;

    ClusterAssert(DrydockCluster cluster) {
        super(cluster, ClusterAssert.class);
        isNotNull();
    }

    /**
     * Reads namespaced objects in {@code namespace} instead of the test's namespace (or {@code default}).
     *
     * @param namespace the namespace to read
     * @return this, for chaining
     */
    public ClusterAssert inNamespace(String namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        return this;
    }

    /**
     * Makes every assertion made from here on wait until it holds, for up to 30 seconds
     * ({@link AbstractKubeAssert#DEFAULT_WAIT}), as {@link AbstractKubeAssert#eventually()} does.
     *
     * @return this, for chaining
     */
    public ClusterAssert eventually() {
        return within(wait == null ? AbstractKubeAssert.DEFAULT_WAIT : wait);
    }

    /**
     * Makes every assertion made from here on wait until it holds, for up to {@code timeout}.
     *
     * @param timeout how long each assertion may take to hold; positive
     * @return this, for chaining
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ClusterAssert within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a wait must be positive, not " + timeout);
        }
        this.wait = timeout;
        return this;
    }

    /**
     * Assertions on a Deployment of the test's namespace (or {@code default}).
     *
     * @param name the Deployment's name
     * @return assertions on it
     */
    public DeploymentAssert deployment(String name) {
        return deployment(namespace(), name);
    }

    /**
     * Assertions on a Deployment of the given namespace.
     *
     * @param namespace the Deployment's namespace
     * @param name      the Deployment's name
     * @return assertions on it
     */
    public DeploymentAssert deployment(String namespace, String name) {
        return new DeploymentAssert(actual, wait, Objects.requireNonNull(namespace, "namespace"),
                Objects.requireNonNull(name, "name"));
    }

    /**
     * Assertions on a pod of the test's namespace (or {@code default}).
     *
     * @param name the pod's name
     * @return assertions on it
     */
    public PodAssert pod(String name) {
        return pod(namespace(), name);
    }

    /**
     * Assertions on a pod of the given namespace.
     *
     * @param namespace the pod's namespace
     * @param name      the pod's name
     * @return assertions on it
     */
    public PodAssert pod(String namespace, String name) {
        return new PodAssert(actual, wait, Objects.requireNonNull(namespace, "namespace"),
                Objects.requireNonNull(name, "name"));
    }

    /**
     * Assertions on the pods of the test's namespace (or {@code default}) that a label selector picks.
     *
     * @param labelSelector a selector as kubectl's {@code -l} takes it, e.g. {@code app=web} or
     *                      {@code app in (web,api),tier!=db}
     * @return assertions on them
     */
    public PodsAssert pods(String labelSelector) {
        return new PodsAssert(actual, wait, namespace(), Objects.requireNonNull(labelSelector, "labelSelector"));
    }

    /**
     * Assertions on a node.
     *
     * @param name the node's name ({@code node-1}...)
     * @return assertions on it
     */
    public NodeAssert node(String name) {
        return new NodeAssert(actual, wait, Objects.requireNonNull(name, "name"));
    }

    /**
     * Assertions on the Events of the test's namespace (or {@code default}); narrow them to one object with
     * {@link EventsAssert#about(String, String)}.
     *
     * @return assertions on them
     */
    public EventsAssert events() {
        return new EventsAssert(actual, wait, namespace(), null, null);
    }

    /**
     * An invariant that must hold all through a block: {@code always(...).during(() -> ...)}. The check runs
     * continuously while the block runs (see {@link Invariants}).
     *
     * <pre>{@code
     * assertThat(cluster).always("never two leaders", c -> leaders(c) <= 1).during(() -> partitionTheLeader());
     * }</pre>
     *
     * @param name  what the invariant says, for the failure message
     * @param holds whether it holds now
     * @return the invariant, to run {@link AlwaysAssert#during(Invariants.Block) during} a block
     */
    public AlwaysAssert always(String name, Predicate<DrydockCluster> holds) {
        return new AlwaysAssert(actual, name, Invariants.predicate(Objects.requireNonNull(holds, "holds")));
    }

    /**
     * An invariant written as an assertion, that must hold all through a block. What the assertion says when it
     * fails is what the report shows the check saw.
     *
     * <pre>{@code
     * assertThat(cluster).alwaysSatisfies("never fewer than 2 available",
     *                 c -> assertThat(c).deployment("web").hasAvailableReplicasAtLeast(2))
     *         .during(() -> cluster.node("node-2").crash());
     * }</pre>
     *
     * @param name  what the invariant says, for the failure message
     * @param check throws (an {@link AssertionError} saying what it saw) when the invariant does not hold
     * @return the invariant, to run {@link AlwaysAssert#during(Invariants.Block) during} a block
     */
    public AlwaysAssert alwaysSatisfies(String name, Invariants.Check check) {
        return new AlwaysAssert(actual, name, check);
    }

    private String namespace() {
        return namespace != null ? namespace : Reads.defaultNamespace(actual);
    }
}
