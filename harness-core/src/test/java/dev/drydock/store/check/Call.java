package dev.drydock.store.check;

/** What a client asked the store, as recorded in a {@link History}. */
public sealed interface Call {

    /** The key the call is about; for a range, its prefix. */
    String key();

    /** Whether the call may change the store. */
    boolean writes();

    /** An unconditional put. */
    record Put(String key, String value) implements Call {
        @Override
        public boolean writes() {
            return true;
        }

        @Override
        public String toString() {
            return "put " + key + " \"" + value + "\"";
        }
    }

    /** A read of one key at the current revision. */
    record Get(String key) implements Call {
        @Override
        public boolean writes() {
            return false;
        }

        @Override
        public String toString() {
            return "get " + key;
        }
    }

    /** A read of every key under a prefix at the current revision. */
    record Range(String key) implements Call {
        @Override
        public boolean writes() {
            return false;
        }

        @Override
        public String toString() {
            return "range " + key;
        }
    }

    /** An unconditional delete of one key. */
    record Delete(String key) implements Call {
        @Override
        public boolean writes() {
            return true;
        }

        @Override
        public String toString() {
            return "delete " + key;
        }
    }

    /**
     * A compare-and-swap transaction: if the key's mod revision equals {@code expectModRevision} (when
     * {@code expectValue} is {@code null}; 0 means "absent", as etcd's compare on a missing key), or else if its value
     * equals {@code expectValue}, put {@code value}; otherwise read the key (the failure branch is a get).
     */
    record Cas(String key, long expectModRevision, String expectValue, String value) implements Call {
        @Override
        public boolean writes() {
            return true;
        }

        @Override
        public String toString() {
            String cond = expectValue == null ? "mod=" + expectModRevision : "value=\"" + expectValue + "\"";
            return "cas " + key + " if " + cond + " put \"" + value + "\"";
        }
    }
}
