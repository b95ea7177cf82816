package dev.drydock.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs fixture classes (static nested classes that surefire does not run on its own) with JUnit's test kit. */
final class Kit {

    /** Runs several classes in parallel, methods and classes concurrently, on 4 threads. */
    static final Map<String, String> PARALLEL = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

    private Kit() {
    }

    static EngineExecutionResults run(Map<String, String> parameters, Class<?>... classes) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters)
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(
                        org.junit.platform.engine.DiscoverySelector[]::new))
                .execute();
    }

    static Events tests(Class<?>... classes) {
        return run(Map.of(), classes).testEvents();
    }

    /** The one failure of a fixture whose one test fails. */
    static Throwable onlyFailure(Map<String, String> parameters, Class<?> fixture) {
        Events events = run(parameters, fixture).testEvents();
        events.assertStatistics(s -> s.started(1).failed(1));
        return failure(events);
    }

    static Throwable onlyFailure(Class<?> fixture) {
        return onlyFailure(Map.of(), fixture);
    }

    /** The first failure among these events. */
    static Throwable failure(Events events) {
        return events.failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
    }

    /** The failure of a fixture class itself (a @BeforeAll, a static field), as its container reports it. */
    static Throwable containerFailure(Class<?> fixture) {
        Events containers = run(Map.of(), fixture).containerEvents();
        return failure(containers);
    }
}
