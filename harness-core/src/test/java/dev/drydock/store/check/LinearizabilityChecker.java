package dev.drydock.store.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that the single-key operations of a {@link History} are linearizable against {@link RegisterModel}, key by
 * key (linearizability is compositional: a history is linearizable iff each key's sub-history is). A range read
 * counts as one get per key it covers, at the same real-time interval.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization (as in Knossos' {@code wgl} and Porcupine): walk the
 * history's call and return events in real-time order, linearize a pending operation whenever the model accepts it,
 * backtrack when a return is reached whose operation is not linearized yet, and never revisit a (set of linearized
 * operations, model state) configuration. An operation with an unknown outcome has no return: it may take effect at
 * any point after its call, or never. Failed operations are left out (they had no effect), and so are reads with an
 * unknown outcome (they constrain nothing).
 *
 * <p>The search is bounded by a number of configurations and a wall-time budget per key; beyond them the key is
 * {@link Verdict#UNDECIDED}, never a hang.
 */
public final class LinearizabilityChecker {

    /** A key's verdict. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    /** The outcome for one key. */
    public record KeyResult(String key, Verdict verdict, int ops, int unknownOps, long configurations, long micros,
            String explanation) {
    }

    /** The outcome for a whole history. */
    public record Report(List<KeyResult> keys) {
        public boolean linearizable() {
            return keys.stream().allMatch(k -> k.verdict() == Verdict.LINEARIZABLE);
        }

        public boolean anyNotLinearizable() {
            return keys.stream().anyMatch(k -> k.verdict() == Verdict.NOT_LINEARIZABLE);
        }

        public int ops() {
            return keys.stream().mapToInt(KeyResult::ops).sum();
        }

        public long micros() {
            return keys.stream().mapToLong(KeyResult::micros).sum();
        }

        /** One line per key: verdict, ops, configurations, time; then the explanation of each key that failed. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            for (KeyResult k : keys) {
                b.append(String.format("  %s: %s, %d ops (%d unknown), %d configurations, %.1f ms%n", k.key(),
                        k.verdict(), k.ops(), k.unknownOps(), k.configurations(), k.micros() / 1000.0));
            }
            for (KeyResult k : keys) {
                if (k.explanation() != null) {
                    b.append(k.explanation());
                }
            }
            return b.toString();
        }
    }

    private final long maxConfigurations;
    private final Duration budgetPerKey;

    /**
     * @param maxConfigurations how many distinct configurations one key's search may visit before giving up
     * @param budgetPerKey      how long one key's search may run before giving up
     */
    public LinearizabilityChecker(long maxConfigurations, Duration budgetPerKey) {
        this.maxConfigurations = maxConfigurations;
        this.budgetPerKey = budgetPerKey;
    }

    /** Bounds that fit a test: two million configurations or 20 seconds per key. */
    public LinearizabilityChecker() {
        this(2_000_000, Duration.ofSeconds(20));
    }

    public Report check(List<Op> history) {
        Map<String, List<Step>> byKey = split(history);
        List<KeyResult> out = new ArrayList<>();
        for (Map.Entry<String, List<Step>> e : byKey.entrySet()) {
            out.add(checkKey(e.getKey(), e.getValue()));
        }
        return new Report(out);
    }

    /** One operation as seen by one key. */
    record Step(Op op, Call call, Result result, boolean unknown, long invoke, long complete) {
        String describe() {
            if (op.call() instanceof Call.Range) {
                return op + "\n        (as a get of " + call.key() + " -> " + result + ")";
            }
            return op.toString();
        }
    }

    private static Map<String, List<Step>> split(List<Op> history) {
        Set<String> keys = new TreeSet<>();
        for (Op op : history) {
            if (!(op.call() instanceof Call.Range)) {
                keys.add(op.call().key());
            }
        }
        Map<String, List<Step>> byKey = new TreeMap<>();
        for (Op op : history) {
            boolean unknown = op.outcome() == Op.Outcome.INFO || op.outcome() == Op.Outcome.PENDING;
            if (op.outcome() == Op.Outcome.FAIL || (unknown && !op.call().writes())) {
                continue;
            }
            long complete = unknown ? Long.MAX_VALUE : op.completeSeq();
            if (op.call() instanceof Call.Range range) {
                Result.Range r = (Result.Range) op.result();
                Map<String, Kv> seen = new TreeMap<>();
                for (Kv kv : r.kvs()) {
                    seen.put(kv.key(), kv);
                    keys.add(kv.key());
                }
                for (String key : keys) {
                    if (key.startsWith(range.key())) {
                        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Step(op, new Call.Get(key),
                                new Result.Get(seen.get(key)), false, op.invokeSeq(), complete));
                    }
                }
            } else {
                byKey.computeIfAbsent(op.call().key(), k -> new ArrayList<>())
                        .add(new Step(op, op.call(), op.result(), unknown, op.invokeSeq(), complete));
            }
        }
        return byKey;
    }

    /** A call or return event in the search's doubly linked list. */
    private static final class Entry {
        final int step;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int step, boolean call, long time) {
            this.step = step;
            this.call = call;
            this.time = time;
        }
    }

    private record Config(long[] linearized, RegisterModel.State state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(linearized, c.linearized) && state.equals(c.state);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(linearized) * 31 + state.hashCode();
        }
    }

    private record Frame(Entry call, RegisterModel.State before) {
    }

    /** What the deepest point of the search saw, for the explanation. */
    private static final class Deepest {
        int depth = -1;
        List<Integer> prefix = List.of();
        RegisterModel.State state;
        int blocked;
        List<Integer> candidates = List.of();
    }

    KeyResult checkKey(String key, List<Step> steps) {
        long start = System.nanoTime();
        long deadline = start + budgetPerKey.toNanos();
        int n = steps.size();
        int unknownOps = (int) steps.stream().filter(Step::unknown).count();
        List<Entry> events = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            Entry call = new Entry(i, true, steps.get(i).invoke());
            Entry ret = new Entry(i, false, steps.get(i).complete());
            call.match = ret;
            ret.match = call;
            events.add(call);
            events.add(ret);
        }
        // At equal times, calls first: two events stamped alike are concurrent, the permissive reading.
        events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.step));
        Entry head = new Entry(-1, true, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }

        long[] linearized = new long[(n + 63) / 64];
        Set<Config> seen = new HashSet<>();
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        Deepest deepest = new Deepest();
        RegisterModel.State state = RegisterModel.State.INITIAL;
        Entry entry = head.next;
        long iterations = 0;
        Verdict verdict = null;
        while (verdict == null) {
            if ((++iterations & 1023) == 0 && System.nanoTime() > deadline || seen.size() > maxConfigurations) {
                verdict = Verdict.UNDECIDED;
                break;
            }
            if (entry == null || !entry.call && steps.get(entry.step).unknown()) {
                // Every operation that returned is linearized; the unknown ones left may never have taken effect.
                verdict = Verdict.LINEARIZABLE;
                break;
            }
            if (entry.call) {
                Step s = steps.get(entry.step);
                RegisterModel.State next = RegisterModel.step(state, s.call(), s.result(), s.unknown(), null);
                if (next != null) {
                    long[] after = linearized.clone();
                    after[entry.step >>> 6] |= 1L << entry.step;
                    if (seen.add(new Config(after, next))) {
                        stack.push(new Frame(entry, state));
                        linearized = after;
                        state = next;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (stack.size() > deepest.depth) {
                    remember(deepest, stack, state, entry, head);
                }
                if (stack.isEmpty()) {
                    verdict = Verdict.NOT_LINEARIZABLE;
                    break;
                }
                Frame f = stack.pop();
                state = f.before();
                linearized = linearized.clone();
                linearized[f.call().step >>> 6] &= ~(1L << f.call().step);
                unlift(f.call());
                entry = f.call().next;
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        String explanation = switch (verdict) {
            case LINEARIZABLE -> null;
            case NOT_LINEARIZABLE -> explain(key, steps, deepest, seen.size());
            case UNDECIDED -> String.format("key %s: UNDECIDED after %d configurations and %d ms (bounds: %d"
                    + " configurations, %d ms); %d ops, %d of them with an unknown outcome%n", key, seen.size(),
                    micros / 1000, maxConfigurations, budgetPerKey.toMillis(), n, unknownOps);
        };
        return new KeyResult(key, verdict, n, unknownOps, seen.size(), micros, explanation);
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    private static void remember(Deepest d, ArrayDeque<Frame> stack, RegisterModel.State state, Entry blocked,
            Entry head) {
        d.depth = stack.size();
        List<Integer> prefix = new ArrayList<>();
        stack.descendingIterator().forEachRemaining(f -> prefix.add(f.call().step));
        d.prefix = prefix;
        d.state = state;
        d.blocked = blocked.step;
        List<Integer> candidates = new ArrayList<>();
        for (Entry e = head.next; e != blocked; e = e.next) {
            if (e.call) {
                candidates.add(e.step);
            }
        }
        d.candidates = candidates;
    }

    private static String explain(String key, List<Step> steps, Deepest d, int configurations) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("key %s: NOT LINEARIZABLE (%d ops, %d configurations searched)%n", key, steps.size(),
                configurations));
        b.append(String.format("  The longest linearizable prefix found has %d ops; its last ones:%n", d.prefix.size()));
        for (int i = Math.max(0, d.prefix.size() - 5); i < d.prefix.size(); i++) {
            b.append("    ").append(steps.get(d.prefix.get(i)).describe()).append('\n');
        }
        b.append("  After them the key is ").append(d.state).append('\n');
        b.append("  Then this op returned, and no op pending before its return can be linearized first:\n");
        b.append("    ").append(steps.get(d.blocked).describe()).append('\n');
        b.append("  The pending ops, each as the next one from that state:\n");
        for (int c : d.candidates) {
            Step s = steps.get(c);
            List<String> why = new ArrayList<>();
            RegisterModel.State next = RegisterModel.step(d.state, s.call(), s.result(), s.unknown(), why);
            b.append("    ").append(s.describe()).append("\n      ")
                    .append(next == null ? "cannot: " + why.get(0)
                            : "possible (-> " + next + "), but every continuation from there fails")
                    .append('\n');
        }
        return b.toString();
    }
}
