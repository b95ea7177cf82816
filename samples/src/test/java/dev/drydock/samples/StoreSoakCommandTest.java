package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code bench store --soak}, made tiny: one short round of the store's check under its nemesis, and its totals. */
class StoreSoakCommandTest {

    @Test
    void benchStoreSoakRunsTheCheckAndPrintsItsFiguresWithNoViolation() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "store", "--soak=1", "--clients=2", "--seed=5"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stdout:\n%s", printed).isZero();
        assertThat(printed).contains("soak round 1: seed 5, 3 replicas, 2 clients", "store.soak.rounds 1",
                "store.soak.violations 0 violations");
        assertThat(printed.lines().filter(l -> l.startsWith("store.soak.ops ")).findFirst().orElseThrow())
                .doesNotContain("store.soak.ops 0 ");
    }

    @Test
    void anUnknownSoakOptionIsRefused() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"bench", "store", "--soak", "--replicas=3"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --replicas=3");
    }
}
