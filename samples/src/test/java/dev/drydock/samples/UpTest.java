package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drydock.jar up} as a user runs it, in a JVM of its own: stopped by SIGTERM it says so and deletes its
 * kubeconfig; two at once write two kubeconfigs; a kubeconfig left by a killed one blocks nothing.
 */
class UpTest {

    @TempDir
    Path tmp;

    private final List<Up> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Up up : started) {
            up.process.destroyForcibly();
            up.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermStopsTheClusterSaysSoAndDeletesTheKubeconfig() throws Exception {
        Up up = start("up", "--nodes", "1");
        Path kubeconfig = tmp.resolve("drydock.kubeconfig");
        assertThat(up.out()).contains("kubeconfig: " + kubeconfig + "\n");
        assertThat(Files.readString(kubeconfig)).contains("server: " + up.apiUrl());

        up.process.destroy(); // SIGTERM, as Ctrl-C's SIGINT runs the same shutdown

        assertThat(up.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(up.out()).contains("drydock cluster stopped; deleted " + kubeconfig);
        assertThat(kubeconfig).doesNotExist();
    }

    @Test
    void twoUpsAtOnceWriteTwoKubeconfigsAndTheSecondSaysWhichItWrote() throws Exception {
        Up first = start("up", "--nodes", "1");
        Up second = start("up", "--nodes", "1");

        Path one = tmp.resolve("drydock.kubeconfig");
        Path two = tmp.resolve("drydock-2.kubeconfig");
        assertThat(first.out()).contains("kubeconfig: " + one + "\n");
        assertThat(second.out()).contains("kubeconfig: " + two + " (" + one + " is held by another drydock up)")
                .contains("KUBECONFIG=" + two + " kubectl");
        assertThat(Files.readString(one)).contains("server: " + first.apiUrl());
        assertThat(Files.readString(two)).contains("server: " + second.apiUrl());

        first.process.destroy();
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(one).doesNotExist();
        assertThat(Files.readString(two)).contains("server: " + second.apiUrl());
        second.process.destroy();
        assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(two).doesNotExist();
    }

    @Test
    void anExplicitKubeconfigThatAnotherUpHoldsIsAClearError() throws Exception {
        Path mine = tmp.resolve("mine.kubeconfig");
        Up first = start("up", "--nodes", "1", "--kubeconfig", mine.toString());

        Up second = launch("up", "--nodes", "1", "--kubeconfig", mine.toString());

        assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).isEqualTo(1);
        assertThat(second.err()).contains("drydock: " + mine + " is in use by another drydock up (pid "
                + first.process.pid() + ")");
        assertThat(Files.readString(mine)).contains("server: " + first.apiUrl());
    }

    @Test
    void aKubeconfigLeftByAKilledUpDoesNotBlockTheNextOne() throws Exception {
        Up killed = start("up", "--nodes", "1");
        Path kubeconfig = tmp.resolve("drydock.kubeconfig");
        killed.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(killed.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubeconfig).exists();

        Up next = start("up", "--nodes", "1");

        assertThat(next.out()).contains("kubeconfig: " + kubeconfig + "\n");
        assertThat(Files.readString(kubeconfig)).contains("server: " + next.apiUrl())
                .doesNotContain("server: " + killed.apiUrl());
    }

    @Test
    void theLauncherLogsThroughSlf4jSimple() throws Exception {
        Up up = start("up", "--nodes", "1");

        assertThat(up.err()).contains("Connected with provider of type [org.slf4j.simple.SimpleServiceProvider]")
                .doesNotContain("No SLF4J providers");
    }

    @Test
    void anUnknownRuntimeIsAClearErrorNamingTheKnownOnes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"up", "--runtime", "podman", "--kubeconfig",
                tmp.resolve("podman.kubeconfig").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no container runtime named 'podman'")
                .contains("'docker' (provided by dev.drydock:real-runtime)")
                .contains("'fake' (provided by dev.drydock:fake-runtime)");
        assertThat(tmp.resolve("podman.kubeconfig")).doesNotExist();
    }

    @Test
    void upOnDockerServesKubectlWithRealContainersAndLeavesNothingInTheEngine() throws Exception {
        DockerBenchmarkTest.requireDocker();
        dev.drydock.docker.LocalImages.busybox("busybox:1.36", dev.drydock.docker.LocalImages.HOST_BUSYBOX);
        Up up = start("up", "--runtime", "docker", "--nodes", "1");
        Kubectl kubectl = new Kubectl(tmp.resolve("drydock.kubeconfig"), tmp);
        String owner = ":" + up.process.pid();

        Kubectl.Result run = kubectl.run("run", "web", "--image=busybox:1.36", "--restart=Never", "--",
                "sh", "-c", "echo hello from docker; sleep 3600");
        assertThat(run.exitCode()).as("%s", run).isZero();
        Kubectl.Result ready = kubectl.run("wait", "--for=condition=Ready", "pod/web", "--timeout=60s");
        assertThat(ready.exitCode()).as("%s", ready).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("logs", "web").out())
                .contains("hello from docker"));
        Kubectl.Result exec = kubectl.run("exec", "web", "--", "hostname");
        assertThat(exec.out().strip()).as("%s", exec).isEqualTo("web");
        assertThat(dockerLabelled(owner)).isNotEmpty();

        up.process.destroy(); // SIGTERM: the cluster closes, its containers and network go

        assertThat(up.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dockerLabelled(owner)).isEmpty();
    }

    /** The containers and networks in the engine whose drydock owner label ends with {@code owner}. */
    private static List<String> dockerLabelled(String owner) throws Exception {
        List<String> found = new ArrayList<>();
        for (List<String> cmd : List.of(
                List.of("docker", "ps", "-a", "--filter", "label=dev.drydock.owner", "--format",
                        "{{.ID}} {{.Label \"dev.drydock.owner\"}}"),
                List.of("docker", "network", "ls", "--filter", "label=dev.drydock.owner", "--format",
                        "{{.ID}} {{.Label \"dev.drydock.owner\"}}"))) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            out.lines().filter(l -> l.endsWith(owner)).forEach(found::add);
        }
        return found;
    }

    // ---- helpers

    /** One {@code up} in a child JVM, its output going to files in the test's temp dir. */
    private record Up(Process process, Path stdout, Path stderr) {
        String out() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        String apiUrl() throws IOException {
            return out().lines().filter(l -> l.startsWith("API server: ")).findFirst().orElseThrow()
                    .substring("API server: ".length());
        }
    }

    /** Launches {@code up} and waits until it says it is up. */
    private Up start(String... args) throws IOException {
        Up up = launch(args);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(up.process.isAlive()).as("up ended early:\n%s\n%s", up.out(), up.err()).isTrue();
            assertThat(up.out()).contains("Ctrl-C to stop");
        });
        return up;
    }

    private Up launch(String... args) throws IOException {
        int n = started.size() + 1;
        Path stdout = tmp.resolve("up-" + n + ".out");
        Path stderr = tmp.resolve("up-" + n + ".err");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.io.tmpdir=" + tmp, // the default kubeconfig goes to $TMPDIR: here, the test's own
                "-Dslf4j.internal.verbosity=DEBUG", // SLF4J says which provider it found
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        Up up = new Up(p, stdout, stderr);
        started.add(up);
        return up;
    }
}
