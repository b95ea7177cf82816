package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.base.Clock;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.StreamHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake runtime's streams, straight on the runtime: exec, attach, logs and forwarded ports. */
class FakeRuntimeStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ScheduledExecutorService timer;
    private java.util.concurrent.ExecutorService workers;
    private FakeRuntime runtime;
    private String sandbox;

    @BeforeEach
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor();
        workers = Executors.newFixedThreadPool(2);
        runtime = new FakeRuntime(new NodeContext("test", "node-1", "10.244.1.0/24", Clock.SYSTEM, timer, workers));
        sandbox = runtime.runPodSandbox(new PodSandboxConfig("default", "web-1", "uid-1", Map.of()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        runtime.close();
        timer.shutdownNow();
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private String container(String image, List<String> command, Map<String, String> env) {
        String id = runtime.createContainer(sandbox, new ContainerConfig("main", image, "IfNotPresent", command,
                List.of(), env));
        runtime.startContainer(id);
        return id;
    }

    private String sleeper() {
        return container("busybox", List.of("sleep", "3600"), Map.of("GREETING", "hello"));
    }

    private record Run(Sinks.Collecting out, Sinks.Collecting err, Sinks.Outcome outcome, StreamHandle handle) {
        int exitCode() {
            return outcome.exit.orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private Run exec(String container, boolean stdin, String... command) {
        Sinks.Collecting out = new Sinks.Collecting();
        Sinks.Collecting err = new Sinks.Collecting();
        Sinks.Outcome outcome = new Sinks.Outcome();
        StreamHandle h = runtime.exec(container, List.of(command), new ProcessIo(stdin, out, err, false, outcome));
        return new Run(out, err, outcome, h);
    }

    @Test
    void execRunsTheBuiltInCommandsAndReportsTheirExitCodes() {
        String c = sleeper();

        Run echo = exec(c, false, "echo", "hi", "there");
        assertThat(echo.exitCode()).isZero();
        assertThat(echo.out().text()).isEqualTo("hi there\n");
        assertThat(echo.out().closed()).isTrue();

        Run script = exec(c, false, "sh", "-c", "echo a && echo b >&2; false || echo \"status $?\"; exit 3");
        assertThat(script.exitCode()).isEqualTo(3);
        assertThat(script.out().text()).isEqualTo("a\nstatus 1\n");
        assertThat(script.err().text()).isEqualTo("b\n");

        Run env = exec(c, false, "/usr/bin/env");
        assertThat(env.exitCode()).isZero();
        assertThat(env.out().text()).contains("GREETING=hello\n", "HOSTNAME=web-1\n", "PATH=");

        assertThat(exec(c, false, "true").exitCode()).isZero();
        assertThat(exec(c, false, "false").exitCode()).isEqualTo(1);
        assertThat(exec(c, false, "sh", "-c", "exit 42").exitCode()).isEqualTo(42);
        Run missing = exec(c, false, "sh", "-c", "nope");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.err().text()).isEqualTo("sh: nope: not found\n");
        await().atMost(WAIT).until(() -> runtime.openStreams() == 0);
    }

    @Test
    void catAndReadTakeStdinUntilItCloses() {
        String c = sleeper();
        Run cat = exec(c, true, "cat");
        cat.handle().input().write("hello ".getBytes(StandardCharsets.UTF_8));
        cat.handle().input().write("world\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> cat.out().text().equals("hello world\n"));
        assertThat(cat.outcome().exit).isNotDone();
        cat.handle().input().close();
        assertThat(cat.exitCode()).isZero();

        Run read = exec(c, true, "sh", "-c", "read name; echo \"got $name\"; cat; exit 5");
        read.handle().input().write("drydock\nrest\n".getBytes(StandardCharsets.UTF_8));
        read.handle().input().close();
        assertThat(read.exitCode()).isEqualTo(5);
        assertThat(read.out().text()).isEqualTo("got drydock\nrest\n");
    }

    @Test
    void aShellWithoutDashCRunsTheLinesOfItsStdin() {
        String c = sleeper();
        Run sh = exec(c, true, "sh");
        sh.handle().input().write("echo one\nX=2; echo \"two $X\"\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> sh.out().text().equals("one\ntwo 2\n"));
        sh.handle().input().write("exit 7\n".getBytes(StandardCharsets.UTF_8));
        assertThat(sh.exitCode()).isEqualTo(7);
    }

    @Test
    void execOfACommandTheImageLacksFailsAsContainerdSaysIt() {
        String c = sleeper();
        Run tar = exec(c, false, "tar", "cf", "-", "/tmp");
        assertThat(tar.outcome().failure.orTimeout(10, TimeUnit.SECONDS).join())
                .startsWith("failed to exec in container: failed to start exec \"")
                .endsWith("\": OCI runtime exec failed: exec failed: unable to start container process: exec: "
                        + "\"tar\": executable file not found in $PATH: unknown");
        Run none = exec(c, false);
        assertThat(none.outcome().failure.orTimeout(10, TimeUnit.SECONDS).join())
                .endsWith("OCI runtime exec failed: args must not be empty: unknown");
    }

    @Test
    void aSlowReaderSlowsTheWriterAndNothingPilesUp() {
        String c = sleeper();
        Run cat = exec(c, true, "cat");
        cat.out().hold();
        byte[] chunk = new byte[16 * 1024];
        int written = 0;
        // cat forwards until its stdout is held back; then its stdin fills to the bound and says so
        while (cat.handle().input().write(chunk.clone())) {
            written += chunk.length;
            assertThat(written).isLessThan(10 * 1024 * 1024);
        }
        int delivered = cat.out().size();
        assertThat(written - delivered).as("bytes waiting for the program").isLessThanOrEqualTo(
                BoundedInput.BOUND + chunk.length);
        boolean[] ready = new boolean[1];
        cat.handle().input().whenReady(() -> ready[0] = true);
        cat.out().release();
        await().atMost(WAIT).until(() -> ready[0]);
        cat.handle().input().close();
        assertThat(cat.exitCode()).isZero();
        assertThat(cat.out().size()).isEqualTo(written + chunk.length);
    }

    @Test
    void aCancelledExecIsGoneWithoutATrace() {
        String c = sleeper();
        Run cat = exec(c, true, "cat");
        await().atMost(WAIT).until(() -> runtime.openStreams() == 1);
        cat.handle().cancel();
        await().atMost(WAIT).until(() -> runtime.openStreams() == 0);
        assertThat(cat.outcome().exit).isNotDone();
    }

    @Test
    void execsDieWithTheirContainer() {
        String c = sleeper();
        Run cat = exec(c, true, "cat");
        runtime.stopPodSandbox(sandbox);
        assertThat(cat.exitCode()).isEqualTo(137);
        assertThat(runtime.containerStatus(c).state()).isEqualTo(ContainerStatus.State.EXITED);
    }

    @Test
    void theLogIsWhatTheMainProcessWroteStampedOnTheClock() {
        Instant before = Instant.now();
        String c = container("busybox", List.of("sh", "-c", "echo one; echo two >&2; echo three"), Map.of());
        await().atMost(WAIT).until(() -> runtime.containerStatus(c).state() == ContainerStatus.State.EXITED);
        assertThat(runtime.containerStatus(c).exitCode()).isZero();
        assertThat(runtime.containerStatus(c).reason()).isEqualTo("Completed");

        assertThat(log(c, LogOptions.all())).isEqualTo("one\ntwo\nthree\n");
        assertThat(log(c, new LogOptions(false, false, null, 2, false, -1))).isEqualTo("two\nthree\n");
        assertThat(log(c, new LogOptions(false, false, null, -1, false, 6))).isEqualTo("one\ntw");
        assertThat(log(c, new LogOptions(false, false, Instant.now().plusSeconds(60), -1, false, -1))).isEmpty();
        String stamped = log(c, new LogOptions(false, false, null, 1, true, -1));
        assertThat(stamped).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z three\n");
        assertThat(Instant.parse(stamped.substring(0, stamped.indexOf(' ')))).isAfterOrEqualTo(
                before.minusMillis(1));
    }

    @Test
    void followingALogGoesOnUntilTheContainerExits() {
        String c = container("busybox", List.of("sh", "-c", "echo first; sleep 0.3; echo second; sleep 0.3; "
                + "echo third"), Map.of());
        Sinks.Collecting out = new Sinks.Collecting();
        Sinks.Outcome outcome = new Sinks.Outcome();
        runtime.readLog(c, new LogOptions(true, false, null, -1, false, -1), out, outcome);
        await().atMost(WAIT).until(() -> out.text().equals("first\n"));
        assertThat(outcome.exit).isNotDone();
        assertThat(outcome.exit.orTimeout(10, TimeUnit.SECONDS).join()).isZero();
        assertThat(out.text()).isEqualTo("first\nsecond\nthird\n");
        assertThat(out.closed()).isTrue();
    }

    private String log(String container, LogOptions options) {
        Sinks.Collecting out = new Sinks.Collecting();
        Sinks.Outcome outcome = new Sinks.Outcome();
        runtime.readLog(container, options, out, outcome);
        assertThat(outcome.exit.orTimeout(10, TimeUnit.SECONDS).join()).isZero();
        return out.text();
    }

    @Test
    void attachSeesTheMainProcessAndFeedsItsStdin() {
        String c = runtime.createContainer(sandbox, new ContainerConfig("main", "busybox", "IfNotPresent",
                List.of("cat"), List.of(), Map.of(), true, false, false));
        runtime.startContainer(c);
        Sinks.Collecting out = new Sinks.Collecting();
        Sinks.Outcome outcome = new Sinks.Outcome();
        StreamHandle attach = runtime.attach(c, new ProcessIo(true, out, ByteSink.DISCARD, false, outcome));
        attach.input().write("ping\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> out.text().equals("ping\n"));
        assertThat(runtime.logText(c)).isEqualTo("ping\n");
        attach.cancel();
        await().atMost(WAIT).until(() -> runtime.openStreams() == 0);
    }

    @Test
    void aForwardedPortReachesTheBehaviourServingIt() {
        container("nginx:1.27", List.of(), Map.of());
        Sinks.Collecting fromPod = new Sinks.Collecting();
        Sinks.Outcome outcome = new Sinks.Outcome();
        StreamHandle conn = runtime.portForward(sandbox, 80, fromPod, outcome);
        conn.input().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await().atMost(WAIT).until(() -> fromPod.text().contains("Welcome to nginx!"));
        assertThat(fromPod.text()).startsWith("HTTP/1.1 200 OK\r\n");
        conn.input().close();
        assertThat(outcome.exit.orTimeout(10, TimeUnit.SECONDS).join()).isZero();

        Sinks.Outcome refused = new Sinks.Outcome();
        runtime.portForward(sandbox, 9999, new Sinks.Collecting(), refused);
        assertThat(refused.failure.orTimeout(10, TimeUnit.SECONDS).join())
                .contains("failed to connect to localhost:9999 inside namespace", "connection refused");
        await().atMost(WAIT).until(() -> runtime.openStreams() == 0);
    }

    @Test
    void aRegisteredBehaviourServesItsPort() {
        try (FakeImages.Registration r = FakeImages.register("test/echo", new ImageBehaviour() {
            @Override
            public PortHandler port(int port, List<String> argv) {
                return port == 7 ? PortHandlers.echo() : null;
            }
        })) {
            container("test/echo:1", List.of(), Map.of());
            Sinks.Collecting fromPod = new Sinks.Collecting();
            StreamHandle conn = runtime.portForward(sandbox, 7, fromPod, new Sinks.Outcome());
            conn.input().write(new byte[]{0, 1, 2, (byte) 255});
            await().atMost(WAIT).until(() -> fromPod.size() == 4);
        }
    }
}
