package dev.drydock.samples;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code drydock.jar up}: a cluster that runs until Ctrl-C or SIGTERM, with a kubeconfig for kubectl. The kubeconfig
 * is {@code $TMPDIR/drydock.kubeconfig} unless another {@code up} holds that (then {@code drydock-2.kubeconfig}...),
 * and is deleted when {@code up} stops.
 */
final class Up {

    private Up() {
    }

    static int run(Options options, PrintStream out) throws Exception {
        Path defaultDir = Path.of(System.getProperty("java.io.tmpdir"));
        KubeconfigClaim claim = options.kubeconfig() != null ? KubeconfigClaim.claim(options.kubeconfig())
                : KubeconfigClaim.claimDefault(defaultDir);
        Path kubeconfig = claim.path();
        AtomicReference<DrydockCluster> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            DrydockCluster cluster = running.getAndSet(null);
            if (cluster != null) {
                out.println("stopping drydock cluster...");
                out.flush();
                cluster.close();
            }
            try {
                claim.release();
                out.println("drydock cluster stopped; deleted " + kubeconfig);
            } catch (IOException e) {
                out.println("drydock cluster stopped; could not delete " + kubeconfig + ": " + e);
            }
            out.flush();
            stopped.countDown();
        }, "drydock-up-shutdown");
        // Before the cluster starts, so that a SIGTERM while it starts still frees the kubeconfig.
        Runtime.getRuntime().addShutdownHook(stop);
        DrydockCluster cluster;
        long ms;
        try {
            ClusterSpec spec = ClusterSpec.create().name("up").nodes(options.nodes()).port(options.port());
            if (options.runtime() != null) {
                spec = spec.runtime(options.runtime());
            }
            long t0 = System.nanoTime();
            cluster = DrydockCluster.start(spec);
            running.set(cluster);
            ms = (System.nanoTime() - t0) / 1_000_000;
            cluster.writeKubeconfig(kubeconfig);
        } catch (Exception | Error e) {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                throw e; // the hook is running: it closes the cluster and frees the kubeconfig
            }
            DrydockCluster started = running.getAndSet(null);
            if (started != null) {
                started.close();
            }
            try {
                claim.release();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        out.println("drydock cluster up in " + ms + " ms: " + options.nodes() + " node(s), seed " + cluster.seed());
        out.println("API server: " + cluster.apiUrl());
        Path first = defaultDir.resolve(KubeconfigClaim.DEFAULT_NAME);
        out.println("kubeconfig: " + kubeconfig + (options.kubeconfig() == null && !kubeconfig.equals(first)
                ? " (" + first + " is held by another drydock up)" : ""));
        out.println("try:        KUBECONFIG=" + kubeconfig + " kubectl get nodes");
        out.println("Ctrl-C to stop (the kubeconfig is deleted then).");
        out.flush();
        stopped.await();
        return 0;
    }
}
