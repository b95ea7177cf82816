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
    public static ThreadFactory factory(String cluster, String component) {
        AtomicInteger n = new AtomicInteger();
        String base = name(cluster, component);
        return r -> {
            Thread t = new Thread(r, base + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
