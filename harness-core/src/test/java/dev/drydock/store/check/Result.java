package dev.drydock.store.check;

import java.util.List;

/** What the store answered to a {@link Call} that completed. */
public sealed interface Result {

    /** A put's new version. */
    record Put(Kv kv) implements Result {
        @Override
        public String toString() {
            return "ok " + kv;
        }
    }

    /** A get's answer ({@code null}: absent). */
    record Get(Kv kv) implements Result {
        @Override
        public String toString() {
            return kv == null ? "absent" : String.valueOf(kv);
        }
    }

    /** A range's keys and the store revision it read at. */
    record Range(List<Kv> kvs, long revision) implements Result {
        @Override
        public String toString() {
            return kvs + " at revision " + revision;
        }
    }

    /** A delete's previous version ({@code null}: there was none) and the store revision after it. */
    record Delete(Kv prev, long revision) implements Result {
        @Override
        public String toString() {
            return prev == null ? "nothing deleted (revision " + revision + ")"
                    : "deleted " + prev + " at revision " + revision;
        }
    }

    /**
     * A CAS: whether its compare held, and the key it touched: the new version if it succeeded, the current one
     * (or {@code null}) if not.
     */
    record Cas(boolean succeeded, Kv kv, long revision) implements Result {
        @Override
        public String toString() {
            return (succeeded ? "succeeded, now " : "failed, current ") + (kv == null ? "absent" : kv);
        }
    }
}
