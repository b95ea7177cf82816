package dev.drydock.cluster;

import dev.drydock.api.auth.Identities;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Every identity is an admin ({@code system:masters}) while drydock does not authorize requests.
 */
public final class ClientIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(ClientIdentity.class);

    private final Identities.Identity identity;
    private final String cluster;
    private final Supplier<String> apiUrl;
    private final Transport transport;
    private KubeClient client;   // guarded by this
    private Path kubeconfig;     // guarded by this

    ClientIdentity(Identities.Identity identity, String cluster, Supplier<String> apiUrl, Transport transport) {
        this.identity = identity;
        this.cluster = cluster;
        this.apiUrl = apiUrl;
        this.transport = transport;
    }

    /** The identity's name, as given to {@link DrydockCluster#identity(String)}. */
    public String name() {
        return identity.name();
    }

    /** The network party its requests are attributed to: {@code client:<name>}. */
    public String party() {
        return identity.party();
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
