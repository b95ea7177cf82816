package dev.drydock.store.check;

/**
 * One client operation of a {@link History}: its invocation and, once it returned, its completion. Real-time order
 * comes from the history's sequence: an operation whose {@link #completeSeq()} is below another's
 * {@link #invokeSeq()} finished before the other started.
 */
public final class Op {

    /** How an operation ended. */
    public enum Outcome {
        /** Not yet completed (a client still in the call when the history was read). */
        PENDING,
        /** Completed with a result. */
        OK,
        /** Definitely had no effect. */
        FAIL,
        /** Unknown: may or may not have taken effect (e.g. a timeout); it may take effect any time after its invoke. */
        INFO
    }

    private final int id;
    private final int process;
    private final Call call;
    private final long invokeSeq;
    private final long invokeNanos;
    private volatile long completeSeq = Long.MAX_VALUE;
    private volatile long completeNanos;
    private volatile Outcome outcome = Outcome.PENDING;
    private volatile Result result;
    private volatile String error;

    Op(int id, int process, Call call, long invokeSeq, long invokeNanos) {
        this.id = id;
        this.process = process;
        this.call = call;
        this.invokeSeq = invokeSeq;
        this.invokeNanos = invokeNanos;
    }

    /** Creates a completed operation directly, for hand-made histories. */
    public static Op of(int id, int process, Call call, long invokeSeq, long completeSeq, Outcome outcome,
            Result result) {
        Op op = new Op(id, process, call, invokeSeq, invokeSeq);
        op.complete(completeSeq, completeSeq, outcome, result, null);
        return op;
    }

    synchronized void complete(long seq, long nanos, Outcome outcome, Result result, String error) {
        if (this.outcome != Outcome.PENDING) {
            throw new IllegalStateException("operation " + id + " completed twice");
        }
        this.completeSeq = outcome == Outcome.INFO ? Long.MAX_VALUE : seq;
        this.completeNanos = nanos;
        this.result = result;
        this.error = error;
        this.outcome = outcome;
    }

    public int id() {
        return id;
    }

    public int process() {
        return process;
    }

    public Call call() {
        return call;
    }

    public long invokeSeq() {
        return invokeSeq;
    }

    /** The completion's sequence; {@link Long#MAX_VALUE} for an unknown or pending outcome. */
    public long completeSeq() {
        return completeSeq;
    }

    public long invokeNanos() {
        return invokeNanos;
    }

    public long completeNanos() {
        return completeNanos;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Result result() {
        return result;
    }

    public String error() {
        return error;
    }

    /** True if this operation completed before {@code other} was invoked. */
    public boolean precedes(Op other) {
        return completeSeq < other.invokeSeq;
    }

    @Override
    public String toString() {
        String end = switch (outcome) {
            case OK -> String.valueOf(result);
            case FAIL -> "FAIL " + error;
            case INFO -> "UNKNOWN " + error;
            case PENDING -> "PENDING";
        };
        String until = completeSeq == Long.MAX_VALUE ? "..." : String.valueOf(completeSeq);
        return "#" + id + " client " + process + " [" + invokeSeq + ".." + until + "] " + call + " -> " + end;
    }
}
