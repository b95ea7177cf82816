package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterLifecycleTest {

    @Test
    void closingAClusterLeavesNoThreadNoPortAndNoFile() throws Exception {
        long dispatchersBefore = threadsNamed("HTTP-Dispatcher").size();
        DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("leak").nodes(3));
        int port = cluster.port();
        Path kubeconfig = cluster.kubeconfig();
        assertThat(threadsNamed("drydock-leak-")).isNotEmpty();
        assertThat(kubeconfig).exists();
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertThat(s.isConnected()).isTrue();
        }

        cluster.close();

        assertThat(threadsNamed("drydock-leak-")).isEmpty();
        assertThat(threadsNamed("HTTP-Dispatcher")).hasSize((int) dispatchersBefore);
        assertThat(kubeconfig).doesNotExist();
        // Closed means refused, unless another process of the machine has taken the freed port in between.
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void theApiServerBindsToLoopbackOnly() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(1))) {
            assertThat(cluster.apiUrl()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void aClusterThatCannotBindItsPortFailsClearlyAndLeavesNothing() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> DrydockCluster.start(ClusterSpec.create().name("busy").port(taken.getLocalPort())))
                    .hasMessageContaining("API server");
        }
        assertThat(threadsNamed("drydock-busy-")).isEmpty();
    }

    @Test
    void kubeconfigPointsAtTheApiServer() throws IOException {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(1))) {
            assertThat(Files.readString(cluster.kubeconfig())).contains("server: " + cluster.apiUrl());
        }
    }

    static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
    }
}
