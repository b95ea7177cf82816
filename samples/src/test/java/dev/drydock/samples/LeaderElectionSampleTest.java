package dev.drydock.samples;

import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.NetworkFault;
import dev.drydock.chaos.Parties;
import dev.drydock.cluster.ClientIdentity;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a user writes to test leader election: three replicas of a controller elect a leader with fabric8's
 * {@code LeaderElector} on a Lease, each as its own client identity running on its own node. The leader's node is
 * partitioned from the control plane; the leader steps down when it cannot renew, another replica takes the Lease
 * once it expires, and at no moment do two replicas believe they lead.
 *
 * <p><b>What "never two leaders" means.</b> A Lease is not a lock the API server enforces: the holder renews it, and
 * the others may take it once {@code leaseDuration} has passed since its last renewal ({@code renewTime}). The holder,
 * for its part, stops leading once it has failed to renew for {@code renewDeadline}. Kubernetes requires
 * {@code renewDeadline < leaseDuration} (client-go and fabric8 refuse anything else), so that a cut-off leader gives up
 * before anyone else may take over: the old leader's {@code onStopLeading} comes before the new one's
 * {@code onStartLeading}. That holds if (1) the clocks of the replicas agree to within the gap between the two
 * durations (here they are one JVM's), and (2) each renewal attempt is itself bounded in time: the old leader checks
 * its deadline only between attempts, so an attempt that hangs (a request retried with back-off, or one without a
 * timeout) delays its stepping down past the moment the others take over. client-go cancels the request at the
 * deadline; with fabric8, give the elector's client a short request timeout and no retries, as below. What kube does
 * not promise is that the old leader has stopped <em>acting</em>: work it started before stepping down may still
 * run; fencing that is the application's business (e.g. writes conditioned on the Lease's resourceVersion).
 *
 * <p>So the invariant checked here is about beliefs: the replicas between their {@code onStartLeading} and their
 * {@code onStopLeading} are never more than one, both while the check runs and, exactly, from the callbacks' order.
 */
@Cluster(nodes = 3)
class LeaderElectionSampleTest {

    /** Compressed from kube's usual 15 s / 10 s / 2 s; kube requires leaseDuration > renewDeadline > retryPeriod. */
    private static final Duration LEASE_DURATION = Duration.ofMillis(3000);
    private static final Duration RENEW_DEADLINE = Duration.ofMillis(1000);
    private static final Duration RETRY_PERIOD = Duration.ofMillis(200);
    /**
     * Each request of an elector is bounded, so that a cut-off leader steps down in time whatever its requests do: it
     * gives up at most renewDeadline + retryPeriod after its last renewal, plus one renewal in flight and the read
     * fabric8 makes before {@code onStopLeading} (2.2 s in all here), before the Lease expires for the others (3 s).
     * fabric8 reads the Lease's renewTime, written by the leader's clock, against the candidate's own: the 0.8 s left
     * is the clock skew this setup tolerates.
     */
    private static final int REQUEST_TIMEOUT_MILLIS = 500;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void theLeaderCutOffFromTheApiServerStepsDownBeforeAnotherTakesOver(DrydockCluster cluster,
                                                                       KubernetesClient k8s) throws Exception {
        Beliefs beliefs = new Beliefs();
        List<Candidate> candidates = new ArrayList<>();
        try {
            // candidate-a on node-1, candidate-b on node-2, candidate-c on node-3: a partition of a node cuts the
            // candidate running there, as it would cut a pod of that node
            for (int i = 1; i <= 3; i++) {
                String name = "candidate-" + (char) ('a' + i - 1);
                ClientIdentity identity = cluster.identity(name).onNode("node-" + i);
                candidates.add(Candidate.start(identity, k8s.getNamespace(), beliefs));
            }
            await().atMost(PATIENCE).until(() -> beliefs.leaders().size() == 1);
            String first = beliefs.leaders().iterator().next();
            String itsNode = cluster.identity(first).node();

            assertThat(cluster).always("never two leaders at once", c -> beliefs.leaders().size() <= 1)
                    .during(() -> {
                        try (NetworkFault cut = cluster.partition(Parties.nodes(itsNode),
                                Parties.controlPlane())) {
                            // the old leader fails to renew, and steps down after renewDeadline; then, once the
                            // Lease has expired, one of the others takes it
                            await().atMost(PATIENCE).until(() -> !beliefs.leaders().isEmpty()
                                    && !beliefs.leaders().contains(first));
                        }
                    });

            String second = beliefs.leaders().iterator().next();
            assertThat(beliefs.history()).as("who started and stopped leading, in order")
                    .containsExactly("start " + first, "stop " + first, "start " + second);
            Lease lease = k8s.leases().withName(Candidate.LEASE).get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(second);
            assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
        } finally {
            for (Candidate c : candidates) {
                c.close();
            }
        }
    }

    /** Who believes they lead now, and the order in which the callbacks said so. */
    static final class Beliefs {
        private final Set<String> leaders = new LinkedHashSet<>(); // guarded by this
        private final List<String> history = new ArrayList<>();    // guarded by this

        synchronized void started(String name) {
            if (leaders.add(name)) {
                history.add("start " + name);
            }
        }

        synchronized void stopped(String name) {
            if (leaders.remove(name)) {
                history.add("stop " + name);
            }
        }

        synchronized Set<String> leaders() {
            return Set.copyOf(leaders);
        }

        synchronized List<String> history() {
            return List.copyOf(history);
        }
    }

    /** One replica of the controller: a fabric8 client of its own identity, and an elector on the shared Lease. */
    record Candidate(KubernetesClient client, CompletableFuture<?> election) implements AutoCloseable {

        static final String LEASE = "sample-controller";

        static Candidate start(ClientIdentity identity, String namespace, Beliefs beliefs) throws Exception {
            Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(identity.kubeconfig())))
                    .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
                    .withConnectionTimeout(REQUEST_TIMEOUT_MILLIS)
                    .withRequestRetryBackoffLimit(0) // fail at once: the elector's own loop is the retry
                    .build();
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            String name = identity.name();
            CompletableFuture<?> election = client.leaderElector()
                    .withConfig(new LeaderElectionConfigBuilder()
                            .withName(LEASE)
                            .withLock(new LeaseLock(namespace, LEASE, name))
                            .withLeaseDuration(LEASE_DURATION)
                            .withRenewDeadline(RENEW_DEADLINE)
                            .withRetryPeriod(RETRY_PERIOD)
                            .withLeaderCallbacks(new LeaderCallbacks(
                                    () -> beliefs.started(name),
                                    () -> beliefs.stopped(name),
                                    leader -> { }))
                            .withReleaseOnCancel(true)
                            .build())
                    .build()
                    .start();
            return new Candidate(client, election);
        }

        @Override
        public void close() {
            election.cancel(true); // stops its loop; a leader that can still reach the API releases the Lease
            client.close();
        }
    }
}
