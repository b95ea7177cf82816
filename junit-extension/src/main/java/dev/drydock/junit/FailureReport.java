package dev.drydock.junit;

/**
 * Attached to a failing test's exception by {@link FailureReports}: the seed, the line that reruns the test with it,
 * and where the full report and the HTML timeline were written. It shows wherever the failure does, even when the
 * build sends the tests' console output to files.
 */
public final class FailureReport extends RuntimeException {

    FailureReport(String message) {
        super(message, null, false, false);
    }
}
