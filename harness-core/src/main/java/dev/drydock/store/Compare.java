package dev.drydock.store;

/**
 * A condition of a {@link Txn}, on one key, as etcd's compare: the target field of the key's latest version, an
 * operator and a value. A missing key has create revision, mod revision and version 0, and no value: a value
 * compare on it never holds.
 */
public record Compare(String key, Target target, Op op, long number, byte[] value) {

    /** What of the key is compared. */
    public enum Target { CREATE_REVISION, MOD_REVISION, VERSION, VALUE }

    /** How it is compared. */
    public enum Op { EQUAL, NOT_EQUAL, LESS, GREATER }

    public static Compare modRevision(String key, Op op, long revision) {
        return new Compare(key, Target.MOD_REVISION, op, revision, null);
    }

    public static Compare createRevision(String key, Op op, long revision) {
        return new Compare(key, Target.CREATE_REVISION, op, revision, null);
    }

    public static Compare version(String key, Op op, long version) {
        return new Compare(key, Target.VERSION, op, version, null);
    }

    /** Compares the key's value with {@code value}, byte by byte; fails on a missing key. */
    public static Compare value(String key, Op op, byte[] value) {
        return new Compare(key, Target.VALUE, op, 0, value);
    }

    /** True when the key does not exist: its create revision is 0. */
    public static Compare absent(String key) {
        return createRevision(key, Op.EQUAL, 0);
    }

    boolean holds(KeyValue kv) {
        if (target == Target.VALUE) {
            // etcd's applyCompare: a value compare on a missing key always fails, whatever the operator.
            return kv != null && test(compareBytes(kv.value(), value));
        }
        long actual = kv == null ? 0 : switch (target) {
            case CREATE_REVISION -> kv.createRevision();
            case MOD_REVISION -> kv.modRevision();
            case VERSION -> kv.version();
            case VALUE -> throw new AssertionError();
        };
        return test(Long.compare(actual, number));
    }

    private boolean test(int c) {
        return switch (op) {
            case EQUAL -> c == 0;
            case NOT_EQUAL -> c != 0;
            case LESS -> c < 0;
            case GREATER -> c > 0;
        };
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b == null ? new byte[0] : b);
    }
}
