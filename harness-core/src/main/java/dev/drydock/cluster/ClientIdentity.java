package dev.drydock.cluster;

import dev.drydock.api.auth.Identities;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Transport;
import dev.drydock.net.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the cluster with an identity of its own, e.g. the operator under test: its requests carry its own
 * bearer token, and are attributed to its own network party ({@code client:<name>}), so that faults can be aimed at
 * it while the test's own requests (the default kubeconfig and {@link DrydockCluster#client()}, party
 * {@code test}) still get through.
 *
 * <pre>{@code
 * ClientIdentity operator = cluster.identity("operator");
 * KubernetesClient k8s = new KubernetesClientBuilder()
 *         .withConfig(Config.fromKubeconfig(Files.readString(operator.kubeconfig()))).build();
 * try (ApiFault f = cluster.apiFaults().forIdentity("operator").fail(500)) { ... }
 * }</pre>
 *
 * <p>An identity can run on a node ({@link #onNode(String)}), as a pod's client does: then a partition or isolation
 * of that node from the API server cuts it too.
 *
 * <p>Every identity is an admin ({@code system:masters}) while drydock does not authorize requests.
 */
public final class ClientIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(ClientIdentity.class);

    private final Identities.Identity identity;
    private final String cluster;
    private final Supplier<String> apiUrl;
    private final Transport transport;
    private final Network network;
    private final Supplier<List<String>> nodes;
    private KubeClient client;   // guarded by this
    private Path kubeconfig;     // guarded by this

    ClientIdentity(Identities.Identity identity, String cluster, Supplier<String> apiUrl, Transport transport,
                   Network network, Supplier<List<String>> nodes) {
        this.identity = identity;
        this.cluster = cluster;
        this.apiUrl = apiUrl;
        this.transport = transport;
        this.network = network;
        this.nodes = nodes;
    }

    /** The identity's name, as given to {@link DrydockCluster#identity(String)}. */
    public String name() {
        return identity.name();
    }

    /** The network party its requests are attributed to: {@code client:<name>}. */
    public String party() {
        return identity.party();
    }

    /**
     * Runs this identity's clients on a node, as a pod's would (a controller, a leader-election candidate): from now
     * on their messages cross that node's link too, so that {@code partition(Parties.nodes("node-1"),
     * Parties.controlPlane())} or {@code isolate("node-1")} cuts them as it cuts the node's kubelet, and healing it
     * lets them through again. Their own party ({@code client:<name>}) can still be cut alone. Only the network is
     * the node's: a crash of the node does not stop the test's clients, nor do its clients take its capacity. A
     * second call moves the identity to another node.
     *
     * <pre>{@code
     * ClientIdentity a = cluster.identity("candidate-a").onNode("node-1");
     * try (NetworkFault f = cluster.networkFaults().partition(Parties.nodes("node-1"), Parties.controlPlane())) {
     *     // candidate-a's requests fail as node-1's kubelet's do
     * }
     * }</pre>
     *
     * @param node the node's name, e.g. {@code node-1}
     * @return this identity
     * @throws IllegalArgumentException if the cluster has no node of that name, naming the nodes it has
     */
    public ClientIdentity onNode(String node) {
        List<String> names = nodes.get();
        if (node == null || !names.contains(node)) {
            throw new IllegalArgumentException("no node named '" + node + "' to run identity '" + name()
                    + "' on; nodes are " + names);
        }
        network.runOn(party(), node);
        return this;
    }

    /** The node this identity runs on ({@link #onNode(String)}), or null if it runs on none. */
    public String node() {
        return network.hostOf(party());
    }

    /** Its bearer token, for a client configured by hand ({@code Authorization: Bearer <token>}). */
    public String token() {
        return identity.token();
    }

    /**
     * A kubeconfig file whose user is this identity, with its token (written on first call, deleted when the cluster
     * closes). Its context is {@code drydock-<cluster>-<name>}, on namespace {@code default}.
     */
    public synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            kubeconfig = Kubeconfigs.temporary("drydock-" + cluster + "-" + name() + "-", this::writeKubeconfig);
        }
        return kubeconfig;
    }

    /** Writes a kubeconfig whose user is this identity to {@code file}. */
    public void writeKubeconfig(Path file) throws IOException {
        Kubeconfigs.write(file, "drydock-" + cluster, apiUrl.get(), "drydock-" + cluster + "-" + name(), name(),
                token());
    }

    /** An in-process client acting as this identity: no HTTP, the same party, the same faults. */
    public synchronized KubeClient client() {
        if (client == null) {
            client = new KubeClient(transport);
        }
        return client;
    }

    /** Deletes the kubeconfig it wrote, when the cluster closes. */
    synchronized void deleteFiles() {
        if (kubeconfig != null) {
            try {
                Files.deleteIfExists(kubeconfig);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", kubeconfig, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return party();
    }
}
