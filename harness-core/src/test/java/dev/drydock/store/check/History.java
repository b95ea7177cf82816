package dev.drydock.store.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe record of client operations (invoke, then ok / fail / unknown) and of nemesis actions, stamped from
 * one global sequence, which gives their real-time order: a stamp is taken before a call starts and after it returns.
 */
public final class History {

    /** A fault the nemesis injected or healed, at a point of the sequence. */
    public record NemesisEvent(long seq, long nanos, String what) {
    }

    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Op> ops = new ArrayList<>();
    private final List<NemesisEvent> nemesis = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    /** Takes the next sequence number (for events recorded elsewhere, e.g. watch deliveries). */
    public long tick() {
        return seq.incrementAndGet();
    }

    /** Records that {@code process} is about to make {@code call}. */
    public Op invoke(int process, Call call) {
        Op op = new Op(ids.getAndIncrement(), process, call, seq.incrementAndGet(), System.nanoTime() - startNanos);
        synchronized (ops) {
            ops.add(op);
        }
        return op;
    }

    /** The call returned {@code result}. */
    public void ok(Op op, Result result) {
        op.complete(seq.incrementAndGet(), System.nanoTime() - startNanos, Op.Outcome.OK, result, null);
    }

    /** The call failed and definitely had no effect. */
    public void fail(Op op, String error) {
        op.complete(seq.incrementAndGet(), System.nanoTime() - startNanos, Op.Outcome.FAIL, null, error);
    }

    /** The call failed in a way that leaves its effect unknown. */
    public void info(Op op, String error) {
        op.complete(seq.incrementAndGet(), System.nanoTime() - startNanos, Op.Outcome.INFO, null, error);
    }

    /** Records a nemesis action. */
    public void nemesis(String what) {
        NemesisEvent e = new NemesisEvent(seq.incrementAndGet(), System.nanoTime() - startNanos, what);
        synchronized (nemesis) {
            nemesis.add(e);
        }
    }

    /** The operations so far, in invocation order. */
    public List<Op> ops() {
        synchronized (ops) {
            List<Op> out = new ArrayList<>(ops);
            out.sort(Comparator.comparingLong(Op::invokeSeq));
            return out;
        }
    }

    public List<NemesisEvent> nemesisEvents() {
        synchronized (nemesis) {
            return List.copyOf(nemesis);
        }
    }
}
