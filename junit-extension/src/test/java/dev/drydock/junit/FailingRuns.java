package dev.drydock.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs a fixture class through the test kit with its failure reports sent to a directory and its console caught. */
final class FailingRuns {

    private static final Object LOCK = new Object(); // the reports' directory and System.err are the JVM's

    /** What a run left: its test events, what it printed to System.err, and the first failure. */
    record Run(Events events, String console) {
        /** What drydock printed: its block of the console, without the log lines around it. */
        String report() {
            int start = console.startsWith("drydock: ") ? 0 : console.indexOf("\ndrydock: ") + 1;
            if (start == 0 && !console.startsWith("drydock: ")) {
                return "";
            }
            StringBuilder s = new StringBuilder();
            for (String line : console.substring(start).split("\n", -1)) {
                if (s.length() > 0 && !line.startsWith("  ")) {
                    break;
                }
                s.append(line).append('\n');
            }
            return s.toString();
        }

        Throwable failure() {
            return events.failed().list().stream().map(e -> e.getPayload(TestExecutionResult.class))
                    .flatMap(Optional::stream).map(r -> r.getThrowable().orElseThrow()).findFirst().orElseThrow();
        }
    }

    private FailingRuns() {
    }

    static Run run(Class<?> fixture, Path reports) {
        synchronized (LOCK) {
            String before = System.getProperty(FailureReports.REPORTS_DIR_PROPERTY);
            PrintStream err = System.err;
            ByteArrayOutputStream caught = new ByteArrayOutputStream();
            System.setProperty(FailureReports.REPORTS_DIR_PROPERTY, reports.toString());
            System.setErr(new PrintStream(caught, true, StandardCharsets.UTF_8));
            try {
                Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute()
                        .testEvents();
                return new Run(events, caught.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(err);
                if (before == null) {
                    System.clearProperty(FailureReports.REPORTS_DIR_PROPERTY);
                } else {
                    System.setProperty(FailureReports.REPORTS_DIR_PROPERTY, before);
                }
            }
        }
    }
}
