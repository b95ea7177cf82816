package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.internal.WatchConnectionManager;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 client's streams against drydock, unchanged: exec with stdin and its exit code, attach, port-forward,
 * logs (following, and of the instance before a restart), and its default watch over WebSocket, which stays the one
 * connection and up to date through thousands of writes.
 */
@Cluster(nodes = 1)
class Fabric8StreamsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration PACE = Duration.ofMillis(5);

    private KubernetesClient k8s;

    private Pod run(String name, String image, boolean stdin, String... command) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
                .withName("main").withImage(image).withStdin(stdin).withCommand(command).endContainer().endSpec()
                .build();
        k8s.pods().inNamespace("default").resource(pod).create();
        return k8s.pods().inNamespace("default").withName(name).waitUntilCondition(
                p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
    }

    @Test
    void execTakesStdinAndReportsTheExitCode() throws Exception {
        run("f8-shell", "busybox", false, "sleep", "3600");
        try (ExecWatch exec = k8s.pods().inNamespace("default").withName("f8-shell").redirectingInput()
                .redirectingOutput().exec("sh", "-c", "read name; echo \"hello $name\"; exit 3")) {
            exec.getInput().write("drydock\n".getBytes(StandardCharsets.UTF_8));
            exec.getInput().flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(exec.getOutput(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("hello drydock");
            assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(3);
        }
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        try (ExecWatch exec = k8s.pods().inNamespace("default").withName("f8-shell").writingOutput(echoed)
                .exec("echo", "hi")) {
            assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).isZero();
        }
        await().atMost(PATIENCE).until(() -> echoed.toString(StandardCharsets.UTF_8).equals("hi\n"));
    }

    @Test
    void attachSeesTheMainProcessAndWritesToItsStdin() throws Exception {
        run("f8-cat", "busybox", true, "cat");
        try (ExecWatch attach = k8s.pods().inNamespace("default").withName("f8-cat").redirectingInput()
                .redirectingOutput().attach()) {
            attach.getInput().write("ping\n".getBytes(StandardCharsets.UTF_8));
            attach.getInput().flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(attach.getOutput(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ping");
        }
        await().atMost(PATIENCE).until(() -> k8s.pods().inNamespace("default").withName("f8-cat").getLog()
                .equals("ping\n"));
    }

    @Test
    void portForwardReachesThePodsPort() throws Exception {
        run("f8-web", "nginx:1.27", false);
        try (LocalPortForward forward = k8s.pods().inNamespace("default").withName("f8-web")
                .portForward(80, InetAddress.getLoopbackAddress(), 0)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + forward.getLocalPort() + "/")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("Welcome to nginx!");
            }
            assertThat(forward.errorOccurred()).isFalse();
        }
    }

    @Test
    void logsFollowWhatComesAndKeepThePreviousInstance() throws Exception {
        run("f8-ticker", "busybox", false, "sh", "-c", "echo a; sleep 0.3; echo b; sleep 0.3; echo c; sleep 3600");
        ByteArrayOutputStream followed = new ByteArrayOutputStream();
        try (LogWatch watch = k8s.pods().inNamespace("default").withName("f8-ticker").watchLog(followed)) {
            await().atMost(PATIENCE).until(() -> followed.toString(StandardCharsets.UTF_8).equals("a\nb\nc\n"));
        }

        run("f8-crasher", "busybox", false, "sh", "-c", "echo started; exit 1");
        await().atMost(PATIENCE).until(() -> k8s.pods().inNamespace("default").withName("f8-crasher").get()
                .getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
        assertThat(k8s.pods().inNamespace("default").withName("f8-crasher").terminated().getLog())
                .isEqualTo("started\n");
    }

    /**
     * fabric8 watches over WebSocket (falling back to HTTP only when the upgrade fails). The watch here sees every
     * one of a minute of writes (thousands), in order, and is the same WebSocket at the end as at the start: it never had to
     * reconnect.
     */
    @Test
    void aWatchOverWebSocketStaysOpenAndUpToDateUnderWrites() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<WatcherException> closed = new AtomicReference<>();
        k8s.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("f8-counter").endMetadata().addToData("n", "0").build()).create();
        try (Watch watch = k8s.configMaps().inNamespace("default").withName("f8-counter").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                seen.add(action + " " + cm.getData().get("n"));
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.set(cause);
            }
        })) {
            assertThat(watch).as("fabric8 kept its WebSocket watch").isInstanceOf(WatchConnectionManager.class);
            var socket = ((WatchConnectionManager<?, ?>) watch).getWebsocketFuture().get(30, TimeUnit.SECONDS);
            // A minute of writes, one every few milliseconds (bounded in count too).
            long start = System.nanoTime();
            long end = start + Duration.ofMinutes(1).toNanos();
            int writes = 0;
            while (System.nanoTime() < end && writes < 20_000) {
                String n = Integer.toString(++writes);
                k8s.configMaps().inNamespace("default").withName("f8-counter")
                        .edit(cm -> new ConfigMapBuilder(cm).addToData("n", n).build());
                LockSupport.parkNanos(PACE.toNanos());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
            int total = writes;
            await().atMost(PATIENCE).until(() -> seen.size() >= total + 1);
            assertThat(seen).hasSize(total + 1);
            assertThat(seen.get(0)).isEqualTo("ADDED 0");
            for (int i = 1; i <= total; i++) {
                assertThat(seen.get(i)).isEqualTo("MODIFIED " + i);
            }
            assertThat(closed.get()).isNull();
            assertThat(((WatchConnectionManager<?, ?>) watch).getWebsocketFuture().get(30, TimeUnit.SECONDS))
                    .as("the same WebSocket, never reconnected, after %d s of writes",
                            (System.nanoTime() - start) / 1_000_000_000)
                    .isSameAs(socket);
        }
    }
}
