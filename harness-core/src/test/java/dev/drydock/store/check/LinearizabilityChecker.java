package dev.drydock.store.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
    public record KeyResult(String key, Verdict verdict, int ops, int unknownOps, int unobservedLeftOut,
            long configurations, long micros, String explanation) {
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
                b.append(String.format("  %s: %s, %d ops (%d unknown, %d of them unobserved writes left out),"
                        + " %d configurations, %.1f ms%n", k.key(), k.verdict(), k.ops(), k.unknownOps(),
                        k.unobservedLeftOut(), k.configurations(), k.micros() / 1000.0));
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
            List<Step> steps = e.getValue();
            List<Step> kept = withoutUnobservedUnknownWrites(steps);
            out.add(checkKey(e.getKey(), kept, steps.size() - kept.size()));
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
        // Every key the history names, so that a range read counts as a read of each one it did not return.
        Set<String> keys = new TreeSet<>();
        for (Op op : history) {
            if (!(op.call() instanceof Call.Range)) {
                keys.add(op.call().key());
            } else if (op.outcome() == Op.Outcome.OK) {
                ((Result.Range) op.result()).kvs().forEach(kv -> keys.add(kv.key()));
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

    private record Config(long[] linearized, RegisterModel.State state, String awaited) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(linearized, c.linearized) && state.equals(c.state)
                    && java.util.Objects.equals(awaited, c.awaited);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(linearized) * 31 + state.hashCode();
        }
    }

    private record Frame(Entry call, RegisterModel.State before, String awaitedBefore) {
    }

    /** The value an unknown put or CAS writes, or {@code null} for another operation or a known one. */
    private static String unknownWrite(Step s) {
        if (!s.unknown()) {
            return null;
        }
        return s.call() instanceof Call.Put p ? p.value() : s.call() instanceof Call.Cas c ? c.value() : null;
    }

    /**
     * Whether {@code s} can be the first to see {@code value} just written: it shows it, or compares with it. (A
     * compare on a mod revision cannot be the first: its client learned that revision from an answer that showed the
     * value.)
     */
    private static boolean mayObserve(Step s, String value) {
        if (s.call() instanceof Call.Cas c && value.equals(c.expectValue())) {
            return true;
        }
        if (s.unknown() || s.result() == null) {
            return false;
        }
        Kv kv = s.result() instanceof Result.Get g ? g.kv() : s.result() instanceof Result.Cas c ? c.kv()
                : s.result() instanceof Result.Delete d ? d.prev() : null;
        return kv != null && value.equals(kv.value());
    }

    /** What the deepest point of the search saw, for the explanation. */
    private static final class Deepest {
        int depth = -1;
        List<Integer> prefix = List.of();
        RegisterModel.State state;
        int blocked;
        List<Integer> candidates = List.of();
    }

    /**
     * Leaves out the unknown puts and CAS whose value no answer shows (values are unique per write): had one taken
     * effect, it was overwritten unseen (a failed CAS or a delete would have shown it), so leaving it out changes
     * nothing but the key's version and create revision, which the search then takes from the answers. Each such
     * write would otherwise double the configurations the search may visit.
     */
    private static List<Step> withoutUnobservedUnknownWrites(List<Step> steps) {
        Set<String> observed = new HashSet<>();
        for (Step s : steps) {
            if (s.call() instanceof Call.Cas c && c.expectValue() != null) {
                observed.add(c.expectValue()); // a compare on a value may depend on the write of that value
            }
            if (s.unknown() || s.result() == null) {
                continue;
            }
            Kv kv = s.result() instanceof Result.Get g ? g.kv() : s.result() instanceof Result.Cas c ? c.kv()
                    : s.result() instanceof Result.Delete d ? d.prev() : null;
            if (kv != null) {
                observed.add(kv.value());
            }
        }
        List<Step> kept = new ArrayList<>(steps.size());
        for (Step s : steps) {
            String value = s.call() instanceof Call.Put p ? p.value()
                    : s.call() instanceof Call.Cas c ? c.value() : null;
            if (!s.unknown() || value == null || observed.contains(value)) {
                kept.add(s);
            }
        }
        return kept;
    }

    KeyResult checkKey(String key, List<Step> steps, int unobservedLeftOut) {
        boolean lenient = unobservedLeftOut > 0;
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
        // At equal times, calls first: two events stamped alike are concurrent, the permissive reading. Among the
        // returns at infinity, those of operations known to have taken effect come before the unknown ones: reaching
        // an unknown one means success, so every operation that must be linearized has to be before it.
        events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call)
                .thenComparing(e -> steps.get(e.step).unknown()).thenComparingInt(e -> e.step));
        Entry head = new Entry(-1, true, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }

        // Operations of unknown outcome get bits of their own: a configuration is skipped when one with the same
        // known operations linearized, the same state and a subset of its unknown ones was seen (that one can do
        // anything this one can, by leaving the extra unknown operations out), which stops the blow-up of unknown
        // writes that cancel out (an unknown put, then an unknown delete).
        int[] dense = new int[n];
        int unknowns = 0;
        for (int i = 0; i < n; i++) {
            dense[i] = steps.get(i).unknown() ? unknowns++ : -1;
        }
        long[] linearized = new long[(n + 63) / 64];
        long[] unknownSet = new long[(unknowns + 63) / 64];
        Map<Config, List<long[]>> seen = new HashMap<>();
        long configurations = 0;
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        Deepest deepest = new Deepest();
        RegisterModel.State state = RegisterModel.State.INITIAL;
        // After an unknown put or CAS, the next operation linearized must be one that may see its value: any
        // linearization can move such a write to just before the first operation that sees it (values are unique,
        // and writes nobody saw were left out), so trying it anywhere else only multiplies the search.
        String awaited = null;
        // Who may see each unknown write's value, to try that write only while one of them can come next.
        Map<String, List<Integer>> seers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Step s = steps.get(i);
            for (String v : shown(s)) {
                seers.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
            }
        }
        Entry entry = head.next;
        long frontier = frontier(head);
        long iterations = 0;
        Verdict verdict = null;
        while (verdict == null) {
            if ((++iterations & 1023) == 0 && System.nanoTime() > deadline || configurations > maxConfigurations) {
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
                if (awaited != null && !mayObserve(s, awaited)) {
                    entry = entry.next;
                    continue;
                }
                String written = unknownWrite(s);
                if (written != null && !seerCanFollow(seers.get(written), entry.step, steps, dense, linearized,
                        unknownSet, frontier)) {
                    entry = entry.next;
                    continue;
                }
                RegisterModel.State next = RegisterModel.step(state, s.call(), s.result(), s.unknown(), lenient, null);
                if (next != null) {
                    int bit = s.unknown() ? dense[entry.step] : entry.step;
                    long[] after = (s.unknown() ? unknownSet : linearized).clone();
                    after[bit >>> 6] |= 1L << bit;
                    long[] known = s.unknown() ? linearized : after;
                    long[] unknown = s.unknown() ? after : unknownSet;
                    String nextAwaited = unknownWrite(s);
                    if (firstVisit(seen, new Config(compact(known), next, nextAwaited), unknown)) {
                        configurations++;
                        stack.push(new Frame(entry, state, awaited));
                        awaited = nextAwaited;
                        linearized = known;
                        unknownSet = unknown;
                        state = next;
                        lift(entry);
                        entry = head.next;
                        frontier = frontier(head);
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
                awaited = f.awaitedBefore();
                int step = f.call().step;
                if (dense[step] >= 0) {
                    unknownSet = unknownSet.clone();
                    unknownSet[dense[step] >>> 6] &= ~(1L << dense[step]);
                } else {
                    linearized = linearized.clone();
                    linearized[step >>> 6] &= ~(1L << step);
                }
                unlift(f.call());
                entry = f.call().next;
                frontier = frontier(head);
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        String explanation = switch (verdict) {
            case LINEARIZABLE -> null;
            case NOT_LINEARIZABLE -> explain(key, steps, deepest, configurations, lenient);
            case UNDECIDED -> String.format("key %s: UNDECIDED after %d configurations and %d ms (bounds: %d"
                    + " configurations, %d ms); %d ops, %d of them with an unknown outcome%n", key, configurations,
                    micros / 1000, maxConfigurations, budgetPerKey.toMillis(), n, unknownOps);
        };
        return new KeyResult(key, verdict, n + unobservedLeftOut, unknownOps + unobservedLeftOut, unobservedLeftOut,
                configurations, micros, explanation);
    }

    /**
     * A set of linearized operations as its stored key: the words from the first one not full to the last one not
     * empty, after that first word's index. Operations are numbered in call order, so the set is full below the
     * oldest pending operation and empty above the newest: the key holds the window in between, not the history.
     */
    private static long[] compact(long[] bits) {
        int lo = 0;
        while (lo < bits.length && bits[lo] == -1L) {
            lo++;
        }
        int hi = bits.length;
        while (hi > lo && bits[hi - 1] == 0) {
            hi--;
        }
        long[] out = new long[hi - lo + 1];
        out[0] = lo;
        System.arraycopy(bits, lo, out, 1, hi - lo);
        return out;
    }

    /** The time of the first return in the list: only operations called before it can be linearized next. */
    private static long frontier(Entry head) {
        for (Entry e = head.next; e != null; e = e.next) {
            if (!e.call) {
                return e.time;
            }
        }
        return Long.MAX_VALUE;
    }

    /** The values an operation's answer shows or its compare names. */
    private static List<String> shown(Step s) {
        List<String> out = new ArrayList<>(2);
        if (s.call() instanceof Call.Cas c && c.expectValue() != null) {
            out.add(c.expectValue());
        }
        if (!s.unknown() && s.result() != null) {
            Kv kv = s.result() instanceof Result.Get g ? g.kv() : s.result() instanceof Result.Cas c ? c.kv()
                    : s.result() instanceof Result.Delete d ? d.prev() : null;
            if (kv != null && kv.value() != null) {
                out.add(kv.value());
            }
        }
        return out;
    }

    private static boolean seerCanFollow(List<Integer> seers, int writer, List<Step> steps, int[] dense,
            long[] known, long[] unknown, long frontier) {
        if (seers == null) {
            return false;
        }
        for (int j : seers) {
            if (j == writer || steps.get(j).invoke() > frontier) { // at equal times the call comes first
                continue;
            }
            boolean done = dense[j] >= 0 ? (unknown[dense[j] >>> 6] & 1L << dense[j]) != 0
                    : (known[j >>> 6] & 1L << j) != 0;
            if (!done) {
                return true;
            }
        }
        return false;
    }

    private static boolean firstVisit(Map<Config, List<long[]>> seen, Config config, long[] unknown) {
        List<long[]> sets = seen.computeIfAbsent(config, c -> new ArrayList<>(1));
        for (long[] other : sets) {
            if (subset(other, unknown)) {
                return false;
            }
        }
        sets.add(unknown);
        return true;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~b[i]) != 0) {
                return false;
            }
        }
        return true;
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

    private static String explain(String key, List<Step> steps, Deepest d, long configurations,
            boolean lenient) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("key %s: NOT LINEARIZABLE (%d ops, %d configurations searched)%n", key, steps.size(),
                configurations));
        b.append(String.format("  The longest linearizable prefix found has %d ops; its last ones:%n",
                d.prefix.size()));
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
            RegisterModel.State next = RegisterModel.step(d.state, s.call(), s.result(), s.unknown(), lenient, why);
            b.append("    ").append(s.describe()).append("\n      ")
                    .append(next == null ? "cannot: " + why.get(0)
                            : "possible (-> " + next + "), but every continuation from there fails")
                    .append('\n');
        }
        return b.toString();
    }
}
