package dev.drydock.samples;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code drydock.jar up}: a cluster that runs until Ctrl-C or SIGTERM, with a kubeconfig for kubectl. */
final class Up {

    private Up() {
    }

    static int run(Options options, PrintStream out) throws Exception {
        ClusterSpec spec = ClusterSpec.create().name("up").nodes(options.nodes()).port(options.port());
        if (options.runtime() != null) {
            spec = spec.runtime(options.runtime());
        }
        long t0 = System.nanoTime();
        DrydockCluster cluster = DrydockCluster.start(spec);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Path kubeconfig = options.kubeconfig() != null ? options.kubeconfig()
                : Path.of(System.getProperty("java.io.tmpdir"), "drydock.kubeconfig");
        cluster.writeKubeconfig(kubeconfig);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "drydock-up-shutdown"));
        out.println("drydock cluster up in " + ms + " ms: " + options.nodes() + " node(s), seed " + cluster.seed());
        out.println("API server: " + cluster.apiUrl());
        out.println("kubeconfig: " + kubeconfig);
        out.println("try:        KUBECONFIG=" + kubeconfig + " kubectl get nodes");
        out.println("Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
