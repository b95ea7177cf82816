package dev.drydock.store.check;

/** One thing a check found wrong: which check, and what it saw. */
public record Violation(String check, String message) {
    @Override
    public String toString() {
        return "[" + check + "] " + message;
    }
}
