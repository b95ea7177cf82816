package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing test, or a failing {@code @BeforeEach}, leaves the seed, the rerun line and a full report behind. */
class FailureReportsTest {

    @Test
    void aFailingTestPrintsTheSeedRerunLineAndLastEntriesAndWritesTheFullReport(@TempDir Path reports)
            throws Exception {
        FailingRuns.Run run = FailingRuns.run(CrashScenario.class, reports);

        run.events().assertStatistics(s -> s.failed(1));
        String rerun = "mvn test -Dtest='dev.drydock.junit.CrashScenario#crashes' -Ddrydock.seed=4242";
        assertThat(run.report()).startsWith("drydock: CrashScenario#crashes failed (cluster ")
                .contains(", seed 4242): AssertionFailedError: [node-2 running after its crash] ...\n")
                .contains("  rerun: " + rerun + "\n")
                .containsPattern("  last \\d+ of \\d+ timeline entries:\n")
                .contains("node  node/node-2  Unknown  Ready -> Unknown")
                .contains("  report: " + reports.resolve("CrashScenario.crashes.txt"))
                .contains("  HTML timeline: " + reports.resolve("CrashScenario.crashes.html").toUri());
        assertThat(run.failure().getSuppressed()).filteredOn(FailureReport.class::isInstance).singleElement()
                .satisfies(r -> assertThat(r.getMessage()).startsWith("drydock: seed 4242; rerun: " + rerun)
                        .contains(reports.resolve("CrashScenario.crashes.html").toUri().toString()));

        String text = Files.readString(reports.resolve("CrashScenario.crashes.txt"));
        assertThat(text).startsWith("CrashScenario#crashes (drydock)\nfailed: AssertionFailedError: ")
                .contains("\nrerun: " + rerun)
                .containsPattern("nodes:\n  node-1  \\S+  .*Ready=\\w+\n  node-2  Unknown  .*Ready=Unknown\n")
                .contains("pods:\n").containsPattern("default/web-1  \\S+  node=node-1\n")
                .contains("events:\n").contains("  Normal  Started  Pod/default/web-1")
                .contains("recent API errors (")
                .contains("fault  node-2  crash")
                .contains("leader  store  etcd-0  etcd-0 leads in term");
        assertThat(Files.readString(reports.resolve("CrashScenario.crashes.html")))
                .contains("\"subject\":\"node/node-2\"");
    }

    @Test
    void aFailingBeforeEachLeavesAReportToo(@TempDir Path reports) throws Exception {
        FailingRuns.Run run = FailingRuns.run(BrokenSetup.class, reports);

        run.events().assertStatistics(s -> s.failed(1));
        assertThat(run.report()).startsWith("drydock: BrokenSetup#never failed in @BeforeEach "
                + "(cluster ").contains("): IllegalStateException: setup broke\n")
                .contains("-Dtest='dev.drydock.junit.FailureReportsTest$BrokenSetup#never' -Ddrydock.seed=77");
        assertThat(reports.resolve("FailureReportsTest$BrokenSetup.never.txt")).exists();
        assertThat(reports.resolve("FailureReportsTest$BrokenSetup.never.html")).exists();
    }

    @Test
    void aPassingTestLeavesNothing(@TempDir Path reports) {
        FailingRuns.Run run = FailingRuns.run(Passing.class, reports);

        run.events().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(run.report()).isEmpty();
        assertThat(reports).isEmptyDirectory();
    }

    @Test
    void reportsGoToTheBuildDirectoryOfTheModuleUnlessToldOtherwise() {
        assertThat(FailureReports.reportsDir()).isEqualTo(Path.of(System.getProperty("basedir", ""))
                .toAbsolutePath().resolve("target").resolve("drydock-reports"));
        assertThat(FailureReports.rerunLine(Passing.class, null, 5))
                .isEqualTo("mvn test -Dtest='dev.drydock.junit.FailureReportsTest$Passing' -Ddrydock.seed=5");
    }

    @Test
    void twoFailuresOfOneMethodInOneRunKeepTwoReports(@TempDir Path reports) {
        assertThat(Stream.of(1, 2, 3).map(i -> FailureReports.fileName(reports, Passing.class, "repeated")))
                .containsExactly("FailureReportsTest$Passing.repeated", "FailureReportsTest$Passing.repeated-2",
                        "FailureReportsTest$Passing.repeated-3");
        assertThat(Arrays.asList(reports.toFile().list())).isEmpty();
    }

    @Cluster(nodes = 1, storeReplicas = 1, seed = 77)
    static class BrokenSetup {
        @BeforeEach
        void setUp(dev.drydock.cluster.DrydockCluster cluster) {
            throw new IllegalStateException("setup broke");
        }

        @Test
        void never() {
        }
    }

    @Cluster(nodes = 1, storeReplicas = 1)
    static class Passing {
        @Test
        void passes() {
        }
    }
}
