package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import io.kubernetes.client.Attach;
import io.kubernetes.client.Exec;
import io.kubernetes.client.PodLogs;
import io.kubernetes.client.PortForward;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.Config;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Java client's {@code Exec}, {@code Attach}, {@code PortForward} and {@code PodLogs} against drydock, unchanged: they
 * speak kube's WebSocket protocols ({@code v5.channel.k8s.io} for exec, {@code v4.channel.k8s.io} for
 * port-forward) and plain HTTP for logs.
 */
@Cluster(nodes = 1)
class OfficialClientStreamsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ApiClient client;
    private CoreV1Api core;

    @BeforeEach
    void connect(DrydockCluster cluster) throws Exception {
        client = Config.fromConfig(cluster.kubeconfig().toString());
        client.setReadTimeout(0); // streams stay silent for a while
        core = new CoreV1Api(client);
    }

    private void run(String name, String image, String... command) throws Exception {
        run(name, image, false, command);
    }

    private void run(String name, String image, boolean stdin, String... command) throws Exception {
        V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name(name)).spec(new V1PodSpec().containers(List.of(
                new V1Container().name("main").image(image).stdin(stdin)
                        .command(command.length == 0 ? null : List.of(command)))));
        core.createNamespacedPod("default", pod).execute();
        await().atMost(PATIENCE).until(() -> "Running".equals(core.readNamespacedPod(name, "default").execute()
                .getStatus().getPhase()));
    }

    @Test
    void execTakesStdinAndReportsTheExitCode() throws Exception {
        run("java-shell", "busybox", "sleep", "3600");
        Process p = new Exec(client).exec("default", "java-shell", new String[]{"sh", "-c", "cat; exit 4"}, true,
                false);
        try (OutputStream in = p.getOutputStream()) {
            in.write("from the official client\n".getBytes(StandardCharsets.UTF_8));
        } // closing stdin is v5's close signal: cat ends
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("from the official client");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(4);
        p.destroy();
    }

    @Test
    void attachSeesTheMainProcessAndWritesToItsStdin() throws Exception {
        run("java-cat", "busybox", true, "cat");
        // Attach.attach(...) asks for stdin only (stdout=false, stderr=false), so no output would come, as on kube.
        Attach.AttachResult attach = new Attach(client).newConnectionBuilder("default", "java-cat")
                .setContainer("main").setStdin(true).setStdout(true).setStderr(true).connect();
        try {
            OutputStream in = attach.getStandardInputStream();
            in.write("pong\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(attach.getStandardOutputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("pong");
        } finally {
            attach.close();
        }
        await().atMost(PATIENCE).until(() -> core.readNamespacedPodLog("java-cat", "default").execute(),
                log -> log.equals("pong\n"));
    }

    @Test
    void portForwardReachesThePodsPort() throws Exception {
        run("java-web", "nginx:1.27");
        PortForward.PortForwardResult forward = new PortForward(client).forward("default", "java-web", List.of(80));
        try {
            // The page's stream first: nginx answers and closes at once, and client-java refuses to hand out a
            // stream of a WebSocket that has closed meanwhile (what it received stays readable from one taken before).
            InputStream page = forward.getInputStream(80);
            forward.getOutboundStream(80).write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            forward.getOutboundStream(80).flush();
            StringBuilder response = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!response.toString().contains("</html>")) {
                int n = page.read(buf);
                if (n < 0) {
                    break;
                }
                response.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 200 OK").contains("Welcome to nginx!");
        } finally {
            forward.close();
        }
    }

    @Test
    void podLogsStreamWhatTheContainerWrites() throws Exception {
        run("java-ticker", "busybox", "sh", "-c", "echo one; sleep 0.3; echo two; sleep 3600");
        try (InputStream log = new PodLogs(client).streamNamespacedPodLog("default", "java-ticker", "main")) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(log, StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("one");
            assertThat(lines.readLine()).as("followed as it comes").isEqualTo("two");
        }
        String whole = core.readNamespacedPodLog("java-ticker", "default").tailLines(1).execute();
        assertThat(whole).isEqualTo("two\n");
    }

    @Test
    void theLogOfThePreviousInstanceIsKeptAfterARestart() throws Exception {
        V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("java-crasher")).spec(new V1PodSpec().containers(
                List.of(new V1Container().name("main").image("busybox")
                        .command(List.of("sh", "-c", "echo started; exit 1")))));
        core.createNamespacedPod("default", pod).execute();
        await().atMost(PATIENCE).until(() -> {
            V1Pod now = core.readNamespacedPod("java-crasher", "default").execute();
            return now.getStatus().getContainerStatuses() != null
                    && now.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1;
        });
        assertThat(core.readNamespacedPodLog("java-crasher", "default").container("main").previous(true).execute())
                .isEqualTo("started\n");
    }
}
