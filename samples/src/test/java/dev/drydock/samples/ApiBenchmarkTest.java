package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code bench api --quick}, made tiny, prints every figure it promises with a number and a unit. A smoke test: it
 * asserts no speed, only that each figure was measured (and that every watcher saw every event).
 */
class ApiBenchmarkTest {

    @Test
    void benchApiPrintsEveryFigureForDrydockAndTheMock() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "api", "--quick", "--seconds=0.05", "--watchers=5",
                "--heap-pods=100", "--objects=50"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr:\n%s\nstdout:\n%s", err, printed).isZero();
        Map<String, String[]> figures = printed.lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.split(" ")).collect(Collectors.toMap(f -> f[0], Function.identity()));
        for (String name : expectedFigures()) {
            assertThat(figures).as("figure %s in:\n%s", name, printed).containsKey(name);
            String[] f = figures.get(name);
            assertThat(f).as(name).hasSize(3);
            double value = Double.parseDouble(f[1]);
            assertThat(value).as(name).isNotNaN();
            // A heap difference over 100 pods can be below the GC's noise; threads of earlier work may end meanwhile.
            if (!name.startsWith("api.heap.") && !name.endsWith(".jvm_threads_added")) {
                assertThat(value).as(name).isNotNegative();
            }
        }
        assertThat(figures.keySet().stream().filter(n -> n.endsWith(".missed")))
                .allSatisfy(n -> assertThat(figures.get(n)[1]).as(n).isEqualTo("0")).hasSize(3);
        assertThat(printed).contains("# targets: creates/s from 1 HTTP client")
                .contains("# create               1 ").contains("# patch               64 ")
                .contains("# apply               64 ");
    }

    @Test
    void theHeapPartAloneWithAHistogramNamesTheClassesWhoseHeapGrew() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "api", "--only=heap", "--heap-pods=100", "--heap-histogram=5"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr:\n%s\nstdout:\n%s", err, printed).isZero();
        for (String server : List.of("drydock_api_only", "drydock_cluster", "mock")) {
            String prefix = "# api.heap.100_pods." + server + " ";
            assertThat(printed).as(printed).contains(prefix + "heap grew ")
                    .contains("api.heap.100_pods." + server + ".per_pod ");
            assertThat(printed.lines().filter(l -> l.startsWith(prefix) && l.matches(".* -?\\d+ +-?\\d+  \\S+")))
                    .as(printed).hasSize(5);
        }
        assertThat(printed).doesNotContain("api.create.").doesNotContain("# targets:");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "api", "--fast"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench api: unknown option --fast")
                .contains("--quick");
    }

    private static List<String> expectedFigures() {
        List<String> names = new ArrayList<>();
        for (String op : List.of("create", "get", "list", "list_selector", "patch")) {
            for (String clients : List.of("1_client", "8_clients", "64_clients")) {
                for (String target : List.of("http.%s.drydock", "http.%s.mock", "in_process.%s.drydock")) {
                    for (String stat : List.of("rate", "p50", "p99")) {
                        names.add("api." + op + "." + target.formatted(clients) + "." + stat);
                    }
                }
            }
        }
        for (String clients : List.of("1_client", "8_clients", "64_clients")) {
            for (String target : List.of("http.%s.drydock", "in_process.%s.drydock")) {
                for (String stat : List.of("rate", "p50", "p99")) {
                    names.add("api.apply." + target.formatted(clients) + "." + stat);
                }
            }
        }
        for (String server : List.of("drydock", "mock")) {
            for (String what : List.of("pod", "list", "list_selector")) {
                names.add("api.bytes." + server + "." + what);
            }
        }
        for (String target : List.of("http.drydock", "websocket.mock", "in_process.drydock")) {
            for (String stat : List.of("p50", "p99", "max", "all_seen_p50", "missed", "jvm_threads_before",
                    "jvm_threads_open", "jvm_threads_added")) {
                names.add("api.watch.5_watchers." + target + "." + stat);
            }
        }
        names.add("api.watch.5_watchers.loopback_floor.p50");
        names.add("api.watch.5_watchers.loopback_floor.p99");
        for (String exec : List.of("run_true", "stdin_echo")) {
            for (String clients : List.of("1_client", "8_clients")) {
                for (String stat : List.of("rate", "p50", "p99")) {
                    names.add("api.exec." + exec + "." + clients + "." + stat);
                }
            }
        }
        for (String server : List.of("drydock_api_only", "drydock_cluster", "mock")) {
            for (String stat : List.of("live_before", "live_after", "per_pod")) {
                names.add("api.heap.100_pods." + server + "." + stat);
            }
        }
        return names;
    }
}
