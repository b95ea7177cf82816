package dev.drydock.base;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of one periodic piece of work, whichever clock ticks it (the {@link Timers}, or a batch that runs many
 * such pieces on one timer, as the node heartbeats): one run at a time (a tick that finds the work
 * busy is skipped, or on a manual clock waits), and a failing run is reported so that a user sees it without a line
 * per tick: at warn on the first failure of a streak, again when the error changes and after 10, 100, 1000...
 * failures in a row, at debug otherwise, and at info when the work succeeds again.
 */
public final class Periodic {

    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final Runnable work;
    // guarded by this
    private boolean busy;
    private int failures;
    private String lastError;

    public Periodic(String name, Runnable work) {
        this.name = name;
        this.work = work;
    }

    /** Claims the next run; false if the previous one is still busy. */
    public synchronized boolean tryStart() {
        if (busy) {
            return false;
        }
        busy = true;
        return true;
    }

    /** Waits until the previous run is done, then claims the next one. */
    synchronized void awaitIdleAndStart() throws InterruptedException {
        while (busy) {
            wait();
        }
        busy = true;
    }

    /** Waits until the current run, if any, is done. */
    synchronized void awaitIdle() throws InterruptedException {
        while (busy) {
            wait();
        }
    }

    /** Gives up a claimed run that could not be handed to the workers (they are shutting down). */
    synchronized void release() {
        busy = false;
        notifyAll();
    }

    /** Runs the work (claimed by {@link #tryStart()} or {@link #awaitIdleAndStart()}) and frees the claim. */
    public void run() {
        try {
            work.run();
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        } finally {
            release();
        }
    }

    private synchronized void succeeded() {
        if (failures > 0) {
            LOG.info("{} works again after {} failure(s) in a row", name, failures);
            failures = 0;
            lastError = null;
        }
    }

    private synchronized void failed(RuntimeException e) {
        failures++;
        String error = e.toString();
        boolean changed = !error.equals(lastError);
        lastError = error;
        if (changed) {
            LOG.warn("{} failed{}; it runs again at its next tick", name,
                    failures > 1 ? " (" + failures + " times in a row, now with another error)" : "", e);
        } else if (warns(failures, false)) {
            LOG.warn("{} failed {} times in a row: {}", name, failures, error);
        } else {
            LOG.debug("{} failed again ({} times in a row): {}", name, failures, error);
        }
    }

    /**
     * Whether the {@code failures}-th failure in a row is reported at warn: the first, one with another error than
     * the failure before, and the 10th, 100th, 1000th...
     */
    static boolean warns(int failures, boolean errorChanged) {
        if (errorChanged) {
            return true;
        }
        int n = failures;
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
}
