package dev.drydock.base;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names threads as the house rule says: {@code drydock-<cluster>-<component>[-n]}, daemon, so that a forgotten
 * cluster never holds a JVM open, and so that a test can check that none is left after a cluster closes.
 */
public final class Threads {

    /** The prefix every drydock thread name starts with. */
    public static final String PREFIX = "drydock-";

    private Threads() {
    }

    public static String name(String cluster, String component) {
        return PREFIX + cluster + "-" + component;
    }

    /** A factory whose threads are named {@code drydock-<cluster>-<component>-<n>}. */
    public static Factory factory(String cluster, String component) {
        return new Factory(name(cluster, component));
    }

    /**
     * Names its threads and remembers the live ones, so that a closing component can wait until they are really
     * gone: an executor reports itself terminated while its last thread is still on its way out.
     */
    public static final class Factory implements ThreadFactory {
        private final String base;
        private final AtomicInteger n = new AtomicInteger();
        private final java.util.List<Thread> threads = new java.util.ArrayList<>();

        private Factory(String base) {
            this.base = base;
        }

        @Override
        public synchronized Thread newThread(Runnable r) {
            threads.removeIf(t -> !t.isAlive() && t.getState() == Thread.State.TERMINATED);
            Thread t = new Thread(r, base + "-" + n.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        }

        /** Waits up to {@code millis} in all for every thread made here to end; true if they all did. */
        public boolean join(long millis) throws InterruptedException {
            java.util.List<Thread> all;
            synchronized (this) {
                all = new java.util.ArrayList<>(threads);
            }
            long deadline = System.nanoTime() + millis * 1_000_000;
            for (Thread t : all) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                t.join(left);
            }
            return all.stream().noneMatch(Thread::isAlive);
        }
    }
}
