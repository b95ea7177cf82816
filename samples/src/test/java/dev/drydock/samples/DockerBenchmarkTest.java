package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code bench docker --runs=2} runs to the end on a Docker engine and prints every figure it promises. A smoke test:
 * it asserts no speed. Skipped without an engine and a static busybox, unless {@code DRYDOCK_REQUIRE_DOCKER=1} (CI).
 */
class DockerBenchmarkTest {

    @Test
    void benchDockerPrintsClusterStartPodToRunningAndTheBareDockerRun() throws Exception {
        requireDocker();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "docker", "--runs=2"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr:\n%s\nstdout:\n%s", err, printed).isZero();
        Map<String, String[]> figures = printed.lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.split(" ")).collect(Collectors.toMap(f -> f[0], Function.identity()));
        for (String name : List.of("docker.cluster_start_to_nodes_ready", "docker.pod_create_to_running.p50",
                "docker.pod_create_to_running.p99", "docker.pod_create_to_running.20_at_once.p50",
                "docker.pod_create_to_running.20_at_once.p99", "docker.bare_docker_run.p50",
                "docker.bare_docker_run.p99", "docker.bare_docker_run.20_at_once.p50",
                "docker.bare_docker_run.20_at_once.p99", "docker.bare_docker_run.user_network.p50",
                "docker.pod_create_to_running.p50_vs_bare_docker_run",
                "docker.pod_create_to_running.20_at_once.p50_vs_bare_docker_run",
                "docker.pod_create_to_running.p50_vs_bare_docker_run.user_network")) {
            assertThat(figures).as("figure %s in:\n%s", name, printed).containsKey(name);
            assertThat(Double.parseDouble(figures.get(name)[1].replace("x", ""))).as(name).isPositive();
        }
    }

    /** Skips (or, under DRYDOCK_REQUIRE_DOCKER=1, fails) the test without an engine and a static busybox. */
    static void requireDocker() throws Exception {
        boolean engine;
        try {
            Process p = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            engine = p.waitFor() == 0;
        } catch (java.io.IOException e) {
            engine = false;
        }
        String missing = !engine ? "no Docker engine answers (or no docker CLI)"
                : !Files.isExecutable(dev.drydock.docker.LocalImages.HOST_BUSYBOX) ? "no /bin/busybox" : null;
        if (missing == null) {
            return;
        }
        if ("1".equals(System.getenv("DRYDOCK_REQUIRE_DOCKER"))) {
            Assertions.fail(missing + "; DRYDOCK_REQUIRE_DOCKER=1 requires the Docker tests to run");
        }
        Assumptions.abort(missing + ": bench docker's test is skipped; start a Docker engine and install "
                + "busybox-static to run it");
    }
}
