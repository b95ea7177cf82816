package dev.drydock.store.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settles writes of unknown outcome from what the watches saw, before the linearizability search: each unknown
 * write multiplies the configurations the search may visit (it may take effect at any point, or never), and a
 * replicated store under faults times out many writes.
 *
 * <ul>
 *   <li>An unknown put or CAS whose (unique) value some watch delivered did take effect, with that event's version:
 *       it becomes an operation with that result, which the search must linearize somewhere after its call.</li>
 *   <li>One whose value no watch delivered, while the watches together covered every revision from its call to the
 *       final read, had no effect: it is left out.</li>
 *   <li>An unknown delete is left out the same way when the watches covered its window and saw no delete of its key
 *       there that an acknowledged delete does not explain (a delete of a missing key changes nothing).</li>
 *   <li>Anything else stays unknown.</li>
 * </ul>
 * This trusts the watches to be complete, which {@link HistoryChecks#watches} checks against every acknowledged
 * write; a watch that dropped an unknown write's event would surface as a linearizability failure.
 */
final class UnknownWrites {

    /** The history to search, and how many unknown writes were settled each way. */
    record Settled(List<Op> ops, int applied, int notApplied, int unknown) {
        @Override
        public String toString() {
            return String.format("unknown writes settled by the watches: %d applied, %d not applied, %d still unknown",
                    applied, notApplied, unknown);
        }
    }

    private UnknownWrites() {
    }

    static Settled settle(List<Op> ops, List<WatchLog> watchers, long finalRevision) {
        Map<String, WatchLog.Event> putByValue = new HashMap<>();
        Map<String, List<Long>> deletes = new HashMap<>();
        List<long[]> covered = new ArrayList<>();
        for (WatchLog w : watchers) {
            for (WatchLog.Segment s : w.segments()) {
                if (s.coveredTo() >= s.fromRevision()) {
                    covered.add(new long[] {s.fromRevision(), s.coveredTo()});
                }
                for (WatchLog.Event e : s.events()) {
                    if (e.delete()) {
                        deletes.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.revision());
                    } else {
                        putByValue.putIfAbsent(e.key() + "=" + e.kv().value(), e);
                    }
                }
            }
        }
        long[][] spans = merge(covered);
        List<HistoryChecks.Change> acked = HistoryChecks.acknowledged(ops);
        Set<String> ackedDeletes = new HashSet<>();
        acked.stream().filter(HistoryChecks.Change::delete)
                .forEach(c -> ackedDeletes.add(c.key() + "@" + c.revision()));
        List<HistoryChecks.Change> byCompletion = new ArrayList<>(acked);
        byCompletion.sort(Comparator.comparingLong(c -> c.op().completeSeq()));
        long[] completions = byCompletion.stream().mapToLong(c -> c.op().completeSeq()).toArray();
        long[] highestSoFar = new long[completions.length];
        for (int i = 0; i < completions.length; i++) {
            highestSoFar[i] = Math.max(i == 0 ? 0 : highestSoFar[i - 1], byCompletion.get(i).revision());
        }

        List<Op> out = new ArrayList<>(ops.size());
        int applied = 0;
        int notApplied = 0;
        int unknown = 0;
        for (Op op : ops) {
            boolean isUnknown = op.outcome() == Op.Outcome.INFO || op.outcome() == Op.Outcome.PENDING;
            if (!isUnknown || !op.call().writes()) {
                out.add(op);
                continue;
            }
            // The write cannot have taken effect at or below a revision acknowledged before it was called.
            int i = Arrays.binarySearch(completions, op.invokeSeq());
            int before = (i >= 0 ? i : -i - 1) - 1;
            long from = (before >= 0 ? highestSoFar[before] : 0) + 1;
            boolean windowSeen = covers(spans, from, finalRevision);
            String key = op.call().key();
            if (op.call() instanceof Call.Delete) {
                boolean unexplained = deletes.getOrDefault(key, List.of()).stream()
                        .anyMatch(r -> r >= from && !ackedDeletes.contains(key + "@" + r));
                if (windowSeen && !unexplained) {
                    notApplied++;
                } else {
                    unknown++;
                    out.add(op);
                }
                continue;
            }
            String value = op.call() instanceof Call.Put p ? p.value() : ((Call.Cas) op.call()).value();
            WatchLog.Event e = putByValue.get(key + "=" + value);
            if (e != null) {
                applied++;
                Result r = op.call() instanceof Call.Put ? new Result.Put(e.kv())
                        : new Result.Cas(true, e.kv(), e.revision());
                out.add(Op.of(op.id(), op.process(), op.call(), op.invokeSeq(), Long.MAX_VALUE, Op.Outcome.OK, r));
            } else if (windowSeen) {
                notApplied++;
            } else {
                unknown++;
                out.add(op);
            }
        }
        return new Settled(out, applied, notApplied, unknown);
    }

    private static long[][] merge(List<long[]> spans) {
        spans.sort(Comparator.comparingLong(s -> s[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] s : spans) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && s[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], s[1]);
            } else {
                out.add(new long[] {s[0], s[1]});
            }
        }
        return out.toArray(new long[0][]);
    }

    private static boolean covers(long[][] spans, long from, long to) {
        if (from > to) {
            return true;
        }
        for (long[] s : spans) {
            if (s[0] <= from && s[1] >= to) {
                return true;
            }
        }
        return false;
    }
}
