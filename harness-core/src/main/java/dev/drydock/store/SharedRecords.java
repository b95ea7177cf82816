package dev.drydock.store;

/**
 * Where the replicas of one store in one JVM share the records they make of the same log entry. Each replica applies
 * the same committed writes to its own {@link MvccState} and makes equal key values, watch events and results of
 * them; these are immutable values (their value bytes are the log entry's, shared already), so one instance serves
 * every replica and N replicas hold one copy. Each replica's state stays its own: only equal values are shared, and
 * a value is found here only if an equal one was made recently, so a replica that lags or restarts just keeps its own.
 *
 * <p>A bounded table of recent records by hash, without locking: replicas run on their own lanes, and a record read
 * through a race is safe (its fields are final) and at worst not shared.
 */
final class SharedRecords {

    /** A power of two: about the writes that three replicas apply out of step with each other. */
    private static final int SLOTS = 1 << 12;

    private final Object[] slots = new Object[SLOTS];

    /** An equal record made earlier by a replica, or {@code record} itself (kept for the next replica). */
    @SuppressWarnings("unchecked")
    <T> T share(T record) {
        int h = record.hashCode();
        int i = (h ^ (h >>> 16)) & (SLOTS - 1);
        Object known = slots[i];
        if (known != null && known.getClass() == record.getClass() && known.equals(record)) {
            return (T) known;
        }
        slots[i] = record;
        return record;
    }
}
