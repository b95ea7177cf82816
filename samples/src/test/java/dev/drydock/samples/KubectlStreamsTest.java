package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32's streams against drydock, as a user's script runs them: {@code logs -f}, {@code exec} (with and
 * without stdin), {@code port-forward} with a request through it, {@code attach}, and {@code cp}, which needs
 * {@code tar} in the container and says so. kubectl 1.32 speaks WebSocket for these by default: {@code exec} and
 * {@code attach} negotiate {@code v5.channel.k8s.io}, {@code port-forward} tunnels SPDY through WebSocket
 * ({@code SPDY/3.1+portforward.k8s.io}); its SPDY fallback is never needed.
 */
@Cluster(nodes = 1)
class KubectlStreamsTest {

    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: shell
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "echo one; sleep 0.2; echo two; sleep 0.2; echo three; sleep 3600"]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports:
                - containerPort: 80
            """;

    @Test
    void logsExecPortForwardAndCpWorkAsOnKube(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("pods.yaml");
        Files.writeString(manifest, PODS);
        assertThat(kubectl.run("apply", "-f", manifest.toString()).exitCode()).isZero();
        Kubectl.Result ready = kubectl.run("wait", "--for=condition=Ready", "pod/shell", "pod/web", "--timeout=30s");
        assertThat(ready.exitCode()).as("%s", ready).isZero();

        // logs -f: the lines as they come; the process goes on following until stopped
        Process follow = kubectl.start("logs", "-f", "shell");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            CompletableFuture<Void> three = CompletableFuture.runAsync(() -> {
                try {
                    while (seen.size() < 3) {
                        String line = lines.readLine();
                        if (line == null) {
                            return;
                        }
                        seen.add(line);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            three.get(30, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("one", "two", "three");
            assertThat(follow.isAlive()).as("logs -f follows on").isTrue();
        } finally {
            follow.destroy();
            follow.waitFor(10, TimeUnit.SECONDS);
        }

        Kubectl.Result hi = kubectl.run("exec", "shell", "-v=4", "--", "echo", "hi");
        assertThat(hi.exitCode()).as("%s", hi).isZero();
        assertThat(hi.out()).isEqualTo("hi\n");
        assertThat(hi.err()).as("kubectl's own log of the protocol it negotiated")
                .contains("The subprotocol is v5.channel.k8s.io");

        Kubectl.Result cat = kubectl.runWithInput("hello from stdin\n", "exec", "-i", "shell", "--", "cat");
        assertThat(cat.exitCode()).as("%s", cat).isZero();
        assertThat(cat.out()).isEqualTo("hello from stdin\n");

        Kubectl.Result exit = kubectl.run("exec", "shell", "--", "sh", "-c", "exit 3");
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.err()).contains("command terminated with exit code 3");

        portForward(kubectl, home.resolve("port-forward.err"));
        portForwardToAPortNothingServes(kubectl, home.resolve("refused.err"));

        Kubectl.Result cp = kubectl.run("cp", "shell:/etc/hostname", home.resolve("hostname").toString());
        assertThat(cp.exitCode()).as("%s", cp).isNotZero();
        assertThat(cp.err()).contains("\"tar\": executable file not found in $PATH");

        assertThat(kubectl.run("delete", "pod", "shell", "web", "--grace-period=0").exitCode()).isZero();
    }

    /** As on kube: the connection fails with the kubelet's error, and kubectl 1.32 gives up on the pod. */
    private static void portForwardToAPortNothingServes(Kubectl kubectl, Path errors) throws Exception {
        Process forward = kubectl.start(errors, "port-forward", "--address", "127.0.0.1", "pod/web", ":9999");
        try {
            String line = new BufferedReader(new InputStreamReader(forward.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+) -> 9999").matcher(String.valueOf(line));
            assertThat(m.find()).as("kubectl port-forward says: %s", line).isTrue();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).as("nothing comes back").isEqualTo(-1);
            }
            assertThat(forward.waitFor(30, TimeUnit.SECONDS)).as("kubectl gives up on the pod").isTrue();
            assertThat(forward.exitValue()).isNotZero();
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(errors)).contains("an error occurred forwarding", "-> 9999",
                "error forwarding port 9999 to pod ", "connect: connection refused", "lost connection to pod");
    }

    private static void portForward(Kubectl kubectl, Path errors) throws Exception {
        Process forward = kubectl.start(errors, "port-forward", "-v=4", "--address", "127.0.0.1", "pod/web", ":80");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(forward.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80").matcher(String.valueOf(line));
            assertThat(m.find()).as("kubectl port-forward says: %s", line).isTrue();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < 3; i++) { // each request a connection of its own, a stream pair each in SPDY
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + m.group(1) + "/")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("Welcome to nginx!");
            }
            assertThat(forward.isAlive()).isTrue();
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
            String err = Files.readString(errors);
            assertThat(err).as("kubectl tunnels SPDY through WebSocket").contains("negotiated protocol: "
                    + "portforward.k8s.io").doesNotContain("error occurred");
        }
    }
}
