package dev.drydock.junit;

import dev.drydock.chaos.Timeline;
import dev.drydock.cluster.ClusterReport;
import dev.drydock.cluster.DrydockCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * What a test on a {@link Cluster} leaves behind when it fails, or when its {@code @BeforeEach} or {@code @BeforeAll}
 * does: on the console, briefly, the seed and the one line that reruns the test with it, the last entries of the
 * timeline and where the full report is; in {@code target/drydock-reports/} (the build directory of the working
 * directory, or the directory the system property {@code drydock.reports} names), the full report
 * ({@code <Class>.<method>.txt}: seed, rerun line, nodes, pods, events, recent API errors, the whole timeline) and a
 * self-contained HTML timeline ({@code <Class>.<method>.html}) with faults as bands and pods' and nodes' states as
 * lanes. Registered by {@link Cluster}; a test without a cluster, or an aborted one, gets nothing.
 *
 * <pre>
 * drydock: WebTest#survivesACrash failed (cluster c1f0, seed 42): AssertionError: expected 3 available, saw 2
 *   rerun: mvn test -Dtest='com.example.WebTest#survivesACrash' -Ddrydock.seed=42
 *   last of 57 timeline entries: ...
 *   report: target/drydock-reports/WebTest.survivesACrash.txt
 *   HTML timeline: file:///.../target/drydock-reports/WebTest.survivesACrash.html
 * </pre>
 *
 * <p>Writing the report never hides the failure: a report that cannot be written is added to it as suppressed.
 */
public final class FailureReports implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** A system property naming the directory reports are written to, instead of the build directory's. */
    public static final String REPORTS_DIR_PROPERTY = "drydock.reports";
    /** How many of the newest timeline entries the console shows. */
    static final int CONSOLE_ENTRIES = 12;
    /** Names of the reports written by this JVM, so that two failures of one method (repeated tests) keep both. */
    private static final Set<String> WRITTEN = ConcurrentHashMap.newKeySet();

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        report(context, throwable, "");
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        report(context, throwable, " in @BeforeEach");
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        report(context, throwable, " in @BeforeAll");
        throw throwable;
    }

    private static void report(ExtensionContext context, Throwable failure, String where) {
        if (failure.getClass().getName().equals("org.opentest4j.TestAbortedException")) {
            return; // an assumption that did not hold: nothing failed
        }
        try {
            DrydockCluster cluster = DrydockExtension.clusterOf(context).orElse(null);
            if (cluster != null) {
                write(context, cluster, failure, where, System.err);
            }
        } catch (Exception | LinkageError e) {
            failure.addSuppressed(new IllegalStateException("drydock could not write the failure report: " + e, e));
        }
    }

    private static void write(ExtensionContext context, DrydockCluster cluster, Throwable failure, String where,
                              PrintStream console) throws java.io.IOException {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<String> method = context.getTestMethod().map(java.lang.reflect.Method::getName);
        String test = testClass.getSimpleName() + method.map(m -> "#" + m).orElse("");
        String rerun = rerunLine(testClass, method.orElse(null), cluster.seed());
        String cause = firstLine(failure);
        List<String> header = new ArrayList<>();
        header.add("failed" + where + ": " + cause);
        header.add("cluster " + cluster.name() + ", seed " + cluster.seed());
        header.add("rerun: " + rerun + basedir().map(b -> "   (in " + b + ")").orElse(""));
        ClusterReport report = ClusterReport.of(cluster, test + " (drydock)", header);
        Path dir = reportsDir();
        ClusterReport.Written files = report.write(dir, fileName(dir, testClass, method.orElse(null)));

        StringBuilder s = new StringBuilder();
        s.append("drydock: ").append(test).append(" failed").append(where).append(" (cluster ").append(cluster.name())
                .append(", seed ").append(cluster.seed()).append("): ").append(cause).append('\n');
        s.append("  rerun: ").append(rerun).append('\n');
        List<Timeline.Entry> entries = report.entries();
        s.append("  last ").append(Math.min(CONSOLE_ENTRIES, entries.size())).append(" of ").append(entries.size())
                .append(" timeline entries:\n");
        entries.subList(Math.max(0, entries.size() - CONSOLE_ENTRIES), entries.size())
                .forEach(e -> s.append("    ").append(e).append('\n'));
        s.append("  report: ").append(files.text()).append('\n');
        s.append("  HTML timeline: ").append(files.html().toUri()).append('\n');
        console.print(s); // one print, so that parallel tests' reports do not interleave line by line
        console.flush();
        failure.addSuppressed(new FailureReport("drydock: seed " + cluster.seed() + "; rerun: " + rerun
                + "\n  report: " + files.text() + "\n  HTML timeline: " + files.html().toUri()));
    }

    /** The command that reruns the test (or the class, for a failed {@code @BeforeAll}) with the cluster's seed. */
    static String rerunLine(Class<?> testClass, String method, long seed) {
        return "mvn test -Dtest='" + testClass.getName() + (method == null ? "" : "#" + method) + "' -Ddrydock.seed="
                + seed;
    }

    /** The directory reports go to: {@code drydock.reports}, or the build directory of the working directory. */
    static Path reportsDir() {
        String configured = System.getProperty(REPORTS_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        Path base = basedir().map(Paths::get).orElseGet(() -> Paths.get("").toAbsolutePath());
        boolean gradle = !Files.exists(base.resolve("pom.xml")) && (Files.exists(base.resolve("build.gradle"))
                || Files.exists(base.resolve("build.gradle.kts")));
        return base.resolve(gradle ? "build" : "target").resolve("drydock-reports");
    }

    /** The module's directory as Maven's Surefire tells its tests, if it does. */
    private static Optional<String> basedir() {
        return Optional.ofNullable(System.getProperty("basedir")).filter(b -> !b.isBlank());
    }

    /**
     * {@code WebTest.survivesACrash}, made unique among this JVM's reports in {@code dir} ({@code -2}, {@code -3}...),
     * so that a repeated test keeps each failure's report; a report of an earlier run is replaced.
     */
    static String fileName(Path dir, Class<?> testClass, String method) {
        String simple = testClass.getName().substring(testClass.getName().lastIndexOf('.') + 1);
        String name = (simple + (method == null ? "" : "." + method)).replaceAll("[^A-Za-z0-9._$-]", "_");
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? name : name + "-" + n;
            if (WRITTEN.add(dir.resolve(candidate).toString())) {
                return candidate;
            }
        }
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl).strip() + " ...";
        }
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
