package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.base.Clock;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The faults a test injects into the fake runtime's containers: a kill with an exit code, a pause and its resume. */
class FakeRuntimeFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a stalled stream is watched to stay silent. */
    private static final Duration SILENCE = Duration.ofMillis(300);

    private ScheduledExecutorService timer;
    private java.util.concurrent.ExecutorService workers;
    private FakeRuntime runtime;
    private String sandbox;
    private final List<String> changed = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor();
        workers = Executors.newFixedThreadPool(2);
        runtime = new FakeRuntime(new NodeContext("test", "node-1", "10.244.1.0/24", Clock.SYSTEM, timer, workers));
        runtime.setListener((s, c) -> changed.add(c));
        sandbox = runtime.runPodSandbox(new PodSandboxConfig("default", "web-1", "uid-1", Map.of()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        runtime.close();
        timer.shutdownNow();
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private String container(String image, List<String> command) {
        String id = runtime.createContainer(sandbox, new ContainerConfig("main", image, "IfNotPresent", command,
                List.of(), Map.of()));
        runtime.startContainer(id);
        return id;
    }

    private record Run(Sinks.Collecting out, Sinks.Outcome outcome, StreamHandle handle) {
    }

    private Run exec(String container, String... command) {
        Sinks.Collecting out = new Sinks.Collecting();
        Sinks.Outcome outcome = new Sinks.Outcome();
        StreamHandle h = runtime.exec(container, List.of(command), new ProcessIo(false, out, new Sinks.Collecting(),
                false, outcome));
        return new Run(out, outcome, h);
    }

    @Test
    void aKilledContainerHasExitedWithTheExitCodeAndItsListenerHearsIt() {
        String c = container("busybox", List.of("sleep", "3600"));
        changed.clear();

        runtime.killContainer(c, 137);

        ContainerStatus s = runtime.containerStatus(c);
        assertThat(s.state()).isEqualTo(ContainerStatus.State.EXITED);
        assertThat(s.exitCode()).isEqualTo(137);
        assertThat(s.reason()).isEqualTo("Error");
        assertThat(s.finishedAt()).isNotNull();
        assertThat(changed).contains(c);
        assertThatThrownBy(() -> runtime.killContainer(c, 1)).isInstanceOf(RuntimeError.class)
                .hasMessageContaining("CONTAINER_EXITED");
        assertThatThrownBy(() -> runtime.killContainer("container-nope", 1)).isInstanceOf(RuntimeError.class)
                .hasMessageContaining("container-nope");

        String done = container("busybox", List.of("sleep", "3600"));
        runtime.killContainer(done, 0);
        assertThat(runtime.containerStatus(done).reason()).isEqualTo("Completed");
    }

    @Test
    void aPausedContainerKeepsRunningButAnExecIntoItStallsUntilItResumes() {
        String c = container("busybox", List.of("sleep", "3600"));

        runtime.pauseContainer(c);
        runtime.pauseContainer(c); // twice changes nothing
        Run run = exec(c, "echo", "hello");

        assertThat(runtime.containerStatus(c).state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThat(runtime.isPaused(c)).isTrue();
        await().during(SILENCE).atMost(WAIT).until(() -> run.out().size() == 0 && !run.outcome().exit.isDone());

        runtime.resumeContainer(c);

        assertThat(run.outcome().exit.orTimeout(10, TimeUnit.SECONDS).join()).isZero();
        assertThat(run.out().text()).isEqualTo("hello\n");
        assertThat(runtime.isPaused(c)).isFalse();
        runtime.resumeContainer(c); // not paused: nothing to do
    }

    @Test
    void aConnectionToAPausedContainersPortIsAnsweredOnlyOnceItResumes() {
        String c = container("nginx:1.27", List.of());
        runtime.pauseContainer(c);
        Sinks.Collecting fromPod = new Sinks.Collecting();
        StreamHandle conn = runtime.portForward(sandbox, 80, fromPod, new Sinks.Outcome());
        conn.input().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        await().during(SILENCE).atMost(WAIT).until(() -> fromPod.size() == 0);

        runtime.resumeContainer(c);
        await().atMost(WAIT).until(() -> fromPod.text().contains("Welcome to nginx!"));
    }

    @Test
    void killingAPausedContainerEndsItAndWhatStalledInIt() {
        String c = container("busybox", List.of("sleep", "3600"));
        runtime.pauseContainer(c);
        Run stalled = exec(c, "sleep", "3600");

        runtime.killContainer(c, 137);

        assertThat(runtime.containerStatus(c).exitCode()).isEqualTo(137);
        assertThat(runtime.isPaused(c)).isFalse();
        assertThat(stalled.outcome().exit.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(137);
        await().atMost(WAIT).until(() -> runtime.openStreams() == 0);
        assertThatThrownBy(() -> runtime.pauseContainer(c)).isInstanceOf(RuntimeError.class)
                .hasMessageContaining("CONTAINER_EXITED");
    }
}
