package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Assertions on one Deployment, read through the cluster's API each time they check: its status as
 * {@code kubectl get deployment} shows it.
 *
 * <pre>{@code
 * assertThat(cluster).deployment("web").eventually().hasAvailableReplicas(3).isRolledOut();
 * }</pre>
 */
public final class DeploymentAssert extends AbstractKubeAssert<DeploymentAssert> {

    private final String namespace;
    private final String name;

    DeploymentAssert(DrydockCluster cluster, Duration wait, String namespace, String name) {
        super(cluster, wait);
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * Asserts that the Deployment exists.
     *
     * @return this assertion, for chaining
     */
    public DeploymentAssert exists() {
        return check(this::read);
    }

    /**
     * Asserts that the Deployment does not exist (any more).
     *
     * @return this assertion, for chaining
     */
    public DeploymentAssert doesNotExist() {
        return check(() -> {
            if (Reads.find(cluster, Resource.DEPLOYMENTS, namespace, name) != null) {
                throw new AssertionError("expected " + subject() + " not to exist, but it does");
            }
        });
    }

    /**
     * Asserts that exactly {@code expected} of its pods are available ({@code status.availableReplicas}): Ready for
     * at least the Deployment's {@code minReadySeconds}.
     *
     * @param expected how many pods should be available
     * @return this assertion, for chaining
     */
    public DeploymentAssert hasAvailableReplicas(int expected) {
        return check(() -> expectCount(read(), "availableReplicas", "available", expected, false));
    }

    /**
     * Asserts that at least {@code minimum} of its pods are available ({@code status.availableReplicas}); the check
     * for "never fewer than N available" invariants.
     *
     * @param minimum the fewest available pods that will do
     * @return this assertion, for chaining
     */
    public DeploymentAssert hasAvailableReplicasAtLeast(int minimum) {
        return check(() -> expectCount(read(), "availableReplicas", "available", minimum, true));
    }

    /**
     * Asserts that exactly {@code expected} of its pods are Ready ({@code status.readyReplicas}).
     *
     * @param expected how many pods should be Ready
     * @return this assertion, for chaining
     */
    public DeploymentAssert hasReadyReplicas(int expected) {
        return check(() -> expectCount(read(), "readyReplicas", "ready", expected, false));
    }

    /**
     * Asserts that exactly {@code expected} of its pods run the current template ({@code status.updatedReplicas}).
     *
     * @param expected how many pods should be updated
     * @return this assertion, for chaining
     */
    public DeploymentAssert hasUpdatedReplicas(int expected) {
        return check(() -> expectCount(read(), "updatedReplicas", "updated", expected, false));
    }

    /**
     * Asserts that the Deployment is rolled out as {@code kubectl rollout status} decides: the controller has seen
     * its latest spec ({@code observedGeneration >= generation}), it has not exceeded its progress deadline, every
     * replica runs the current template, no old replica is left, and every updated replica is available.
     *
     * @return this assertion, for chaining
     */
    public DeploymentAssert isRolledOut() {
        return check(() -> {
            ObjectNode d = read();
            String waiting = rolloutStatus(d);
            if (waiting != null) {
                throw new AssertionError(subject() + ": expected to be rolled out (as kubectl rollout status decides)"
                        + " but: " + waiting + " " + counts(d));
            }
        });
    }

    /**
     * Asserts whatever {@code requirements} asserts of the Deployment object (its Kubernetes JSON, as the API serves
     * it), e.g. with AssertJ; retried like any other assertion after {@link #eventually()}.
     *
     * <pre>{@code
     * assertThat(cluster).deployment("web").satisfies(d ->
     *         assertThat(d.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27"));
     * }</pre>
     *
     * @param requirements throws an {@link AssertionError} if the Deployment is not as it should be
     * @return this assertion, for chaining
     */
    public DeploymentAssert satisfies(Consumer<ObjectNode> requirements) {
        return check(() -> {
            ObjectNode d = read();
            try {
                requirements.accept(d);
            } catch (AssertionError e) {
                AssertionError error = new AssertionError(subject() + ": " + e.getMessage() + " " + counts(d));
                error.initCause(e);
                throw error;
            }
        });
    }

    /**
     * Why {@code kubectl rollout status} would still wait for this Deployment, in its words, or null when it would
     * say "successfully rolled out".
     */
    static String rolloutStatus(JsonNode d) {
        JsonNode status = d.path("status");
        String name = Json.name(d);
        if (d.path("metadata").path("generation").asLong() > status.path("observedGeneration").asLong()) {
            return "Waiting for deployment spec update to be observed...";
        }
        for (JsonNode c : status.path("conditions")) {
            if ("Progressing".equals(c.path("type").asText())
                    && "ProgressDeadlineExceeded".equals(c.path("reason").asText())) {
                return "deployment \"" + name + "\" exceeded its progress deadline";
            }
        }
        long replicas = d.path("spec").path("replicas").asLong(1);
        long updated = status.path("updatedReplicas").asLong();
        long current = status.path("replicas").asLong();
        long available = status.path("availableReplicas").asLong();
        if (updated < replicas) {
            return "Waiting for deployment \"" + name + "\" rollout to finish: " + updated + " out of " + replicas
                    + " new replicas have been updated...";
        }
        if (current > updated) {
            return "Waiting for deployment \"" + name + "\" rollout to finish: " + (current - updated)
                    + " old replicas are pending termination...";
        }
        if (available < updated) {
            return "Waiting for deployment \"" + name + "\" rollout to finish: " + available + " of " + updated
                    + " updated replicas are available...";
        }
        return null;
    }

    private void expectCount(ObjectNode d, String field, String what, int expected, boolean atLeast) {
        long seen = d.path("status").path(field).asLong();
        if (atLeast ? seen < expected : seen != expected) {
            throw new AssertionError(subject() + ": expected " + (atLeast ? "at least " : "") + expected + " " + what
                    + " replicas but saw " + seen + " " + counts(d));
        }
    }

    private ObjectNode read() {
        ObjectNode d = Reads.find(cluster, Resource.DEPLOYMENTS, namespace, name);
        if (d == null) {
            throw new AssertionError("expected " + subject() + " to exist, but it does not");
        }
        return d;
    }

    private String subject() {
        return "deployment " + namespace + "/" + name;
    }

    /** The Deployment's figures as {@code kubectl get deployment -o wide} would let one work them out. */
    private static String counts(JsonNode d) {
        JsonNode s = d.path("status");
        return "(spec.replicas " + d.path("spec").path("replicas").asLong(1) + "; status: replicas "
                + s.path("replicas").asLong() + ", updated " + s.path("updatedReplicas").asLong() + ", ready "
                + s.path("readyReplicas").asLong() + ", available " + s.path("availableReplicas").asLong()
                + ", observedGeneration " + s.path("observedGeneration").asLong() + " of generation "
                + d.path("metadata").path("generation").asLong() + ")";
    }
}
