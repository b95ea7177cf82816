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
 * {@code bench chaos --quick} prints every figure it promises with a number and a unit: the request path's rates
 * with no rules and with 100 idle ones, and the time until a cut watch is seen broken by each client. A smoke test:
 * it asserts no speed.
 */
class ChaosBenchmarkTest {

    @Test
    void benchChaosPrintsTheRequestPathsOverheadAndTheTimeUntilACutWatchBreaks() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "chaos", "--quick", "--seconds=0.05", "--repetitions=1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr:\n%s\nstdout:\n%s", err, printed).isZero();
        Map<String, String[]> figures = printed.lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.split(" ")).collect(Collectors.toMap(f -> f[0], Function.identity()));
        for (String name : expectedFigures()) {
            assertThat(figures).as("figure %s in:\n%s", name, printed).containsKey(name);
            String[] f = figures.get(name);
            assertThat(f).as(name).hasSize(3);
            assertThat(Double.parseDouble(f[1])).as(name).isPositive();
        }
        assertThat(printed).contains("# chaos.watch_break.in_process.drydock_client: isolate(client identity) -> "
                + "the client saw: onClose(")
                .contains("# chaos.watch_break.http.fabric8 (fabric8 kubernetes-client 7.");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "chaos", "--fast"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench chaos: unknown option --fast")
                .contains("--quick");
    }

    private static List<String> expectedFigures() {
        List<String> names = new ArrayList<>();
        for (String op : List.of("get", "create")) {
            for (String transport : List.of("http", "in_process")) {
                for (String clients : List.of("1_client", "8_clients")) {
                    String base = "chaos.request." + op + "." + transport + "." + clients + ".";
                    for (String f : List.of("0_rules.rate", "0_rules.p50", "100_idle_rules.rate",
                            "100_idle_rules.p50", "rate_with_100_idle_rules_vs_0")) {
                        names.add(base + f);
                    }
                }
            }
        }
        names.add("chaos.net.check.0_rules");
        names.add("chaos.net.check.100_idle_rules");
        for (String client : List.of("chaos.watch_break.in_process.drydock_client",
                "chaos.watch_break.http.java_net_http_stream", "chaos.watch_break.http.fabric8")) {
            names.add(client + ".p50");
            names.add(client + ".max");
        }
        return names;
    }
}
