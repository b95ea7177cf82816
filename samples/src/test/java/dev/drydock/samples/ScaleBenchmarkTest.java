package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code bench scale --quick} (50 nodes, 500 pods through 10 Deployments) runs to the end and prints every figure it
 * promises with a number and a unit. A smoke test: it asserts no speed.
 */
class ScaleBenchmarkTest {

    @Test
    void benchScalePrintsTimeToRunningHeapThreadsAndTheIdleCost() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "scale", "--quick", "--timeout=120"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr:\n%s\nstdout:\n%s", err, printed).isZero();
        assertThat(printed).startsWith("# bench scale: 50 nodes, 10 Deployments of 50 replicas (500 pods)");
        Map<String, String[]> figures = printed.lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.split(" ")).collect(Collectors.toMap(f -> f[0], Function.identity()));
        for (String name : List.of("scale.start_to_nodes_ready", "scale.deployments_created_in", "scale.all_running",
                "scale.pods_running_per_s", "scale.heap_peak", "scale.heap_live_after_gc", "scale.threads_alive",
                "scale.threads_alive.cluster", "scale.quiet_after_all_running", "scale.settle_wait", "scale.idle_window",
                "scale.idle_cpu_share_of_one_core", "scale.idle_writes_per_s", "scale.idle_heartbeat_writes_per_s",
                "scale.all_running_cpu", "scale.idle_cpu_share_of_one_core.cluster_threads", "scale.idle_cpu_share_of_one_core.jvm_and_bench")) {
            assertThat(figures).as("figure %s in:\n%s", name, printed).containsKey(name);
            String[] f = figures.get(name);
            assertThat(f).as(name).hasSize(3);
            assertThat(Double.parseDouble(f[1])).as(name).isNotNegative();
        }
        assertThat(Double.parseDouble(figures.get("scale.all_running")[1])).isPositive();
        assertThat(Double.parseDouble(figures.get("scale.heap_peak")[1])).isPositive();
        assertThat(Double.parseDouble(figures.get("scale.idle_heartbeat_writes_per_s")[1])).isPositive();
    }

    @Test
    void aRunThatDoesNotConvergeInTimeSaysHowFarItGotAndExitsOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "scale", "--nodes=2", "--deployments=1", "--replicas=1000",
                "--timeout=1"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(
                new ByteArrayOutputStream()));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isEqualTo(1);
        assertThat(printed).contains("# not converged: ").contains("scale.pods_running_at_timeout ")
                .contains("scale.heap_peak ").contains("scale.threads_alive ");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "scale", "--pods=5"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench scale: unknown option --pods=5")
                .contains("--deployments=D");
    }
}
