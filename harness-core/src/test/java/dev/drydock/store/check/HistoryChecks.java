package dev.drydock.store.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of a history besides linearizability: revisions strictly increasing in real-time order, no
 * acknowledged write lost by the final read, and watch streams gap-free, in order, without duplicates and agreeing
 * with the acknowledged writes and with each other. Each check returns its violations (at most a few of each kind,
 * then a count), empty when it holds.
 */
public final class HistoryChecks {

    static final int SHOWN = 5;

    /** A change the store acknowledged: a put, a successful CAS or a delete of an existing key. */
    record Change(boolean delete, String key, long revision, Kv kv, Op op) {
    }

    private HistoryChecks() {
    }

    /** The acknowledged changes of a history, in its invocation order. */
    static List<Change> acknowledged(List<Op> ops) {
        List<Change> out = new ArrayList<>();
        for (Op op : ops) {
            if (op.outcome() != Op.Outcome.OK) {
                continue;
            }
            Result r = op.result();
            if (r instanceof Result.Put p) {
                out.add(new Change(false, op.call().key(), p.kv().modRevision(), p.kv(), op));
            } else if (r instanceof Result.Cas c && c.succeeded()) {
                out.add(new Change(false, op.call().key(), c.kv().modRevision(), c.kv(), op));
            } else if (r instanceof Result.Delete d && d.prev() != null) {
                out.add(new Change(true, op.call().key(), d.revision(), null, op));
            }
        }
        return out;
    }

    /**
     * Every acknowledged write has a revision of its own, above that of every write acknowledged before it was
     * invoked; a range read reads at a revision no lower than that of every write acknowledged before it began.
     */
    public static List<Violation> revisions(List<Op> ops) {
        Collector v = new Collector("revisions");
        List<Change> writes = acknowledged(ops);
        Map<Long, Change> byRevision = new HashMap<>();
        for (Change c : writes) {
            Change other = byRevision.putIfAbsent(c.revision(), c);
            if (other != null) {
                v.add("two acknowledged writes got revision " + c.revision() + ":\n    " + other.op() + "\n    "
                        + c.op());
            }
        }
        List<Change> byCompletion = new ArrayList<>(writes);
        byCompletion.sort(Comparator.comparingLong(c -> c.op().completeSeq()));
        record Probe(Op op, long revision, boolean write) {
        }
        List<Probe> probes = new ArrayList<>();
        writes.forEach(c -> probes.add(new Probe(c.op(), c.revision(), true)));
        for (Op op : ops) {
            if (op.outcome() == Op.Outcome.OK && op.result() instanceof Result.Range r) {
                probes.add(new Probe(op, r.revision(), false));
            }
        }
        probes.sort(Comparator.comparingLong(p -> p.op().invokeSeq()));
        int done = 0;
        Change highest = null;
        for (Probe p : probes) {
            while (done < byCompletion.size() && byCompletion.get(done).op().completeSeq() < p.op().invokeSeq()) {
                Change c = byCompletion.get(done++);
                if (highest == null || c.revision() > highest.revision()) {
                    highest = c;
                }
            }
            if (highest == null) {
                continue;
            }
            if (p.write() && p.revision() <= highest.revision()) {
                v.add("a write got revision " + p.revision() + ", not above revision " + highest.revision()
                        + " of a write acknowledged before it was invoked:\n    " + highest.op() + "\n    " + p.op());
            } else if (!p.write() && p.revision() < highest.revision()) {
                v.add("a range read at revision " + p.revision() + ", below revision " + highest.revision()
                        + " of a write acknowledged before it began:\n    " + highest.op() + "\n    " + p.op());
            }
        }
        return v.done();
    }

    /**
     * The final read explains every acknowledged write: for each key, it shows the newest acknowledged change of it
     * or a later one (a delete whose outcome is unknown may explain a missing key).
     */
    public static List<Violation> noLostWrites(List<Op> ops, Op finalRead) {
        Collector v = new Collector("lost-writes");
        if (finalRead == null || finalRead.outcome() != Op.Outcome.OK) {
            v.add("no final read succeeded, so no write can be shown to have survived");
            return v.done();
        }
        Result.Range fin = (Result.Range) finalRead.result();
        Map<String, Kv> now = new HashMap<>();
        fin.kvs().forEach(kv -> now.put(kv.key(), kv));
        Map<String, Change> newest = new TreeMap<>();
        long highest = 0;
        for (Change c : acknowledged(ops)) {
            newest.merge(c.key(), c, (a, b) -> a.revision() >= b.revision() ? a : b);
            highest = Math.max(highest, c.revision());
        }
        if (fin.revision() < highest) {
            v.add("the final read is at revision " + fin.revision() + ", below the highest acknowledged write's "
                    + highest);
        }
        Set<String> unknownDeletes = new HashSet<>();
        for (Op op : ops) {
            if (op.call() instanceof Call.Delete && op.outcome() != Op.Outcome.OK && op.outcome() != Op.Outcome.FAIL) {
                unknownDeletes.add(op.call().key());
            }
        }
        for (Change c : newest.values()) {
            Kv kv = now.get(c.key());
            if (kv == null) {
                if (!c.delete() && !unknownDeletes.contains(c.key())) {
                    v.add("acknowledged write lost: the final read shows " + c.key() + " absent, but no delete"
                            + " came after this write (revision " + c.revision() + "):\n    " + c.op());
                }
            } else if (kv.modRevision() < c.revision()) {
                v.add("acknowledged write lost: the final read shows " + c.key() + " as " + kv
                        + ", older than this acknowledged " + (c.delete() ? "delete" : "write") + " (revision "
                        + c.revision() + "):\n    " + c.op());
            } else if (kv.modRevision() == c.revision() && (c.delete() || !kv.equals(c.kv()))) {
                v.add("the final read shows " + c.key() + " as " + kv + ", but revision " + c.revision()
                        + " was acknowledged as:\n    " + c.op());
            }
        }
        return v.done();
    }

    /**
     * Each watch delivers, in revision order and once each, every change under its prefix from its start revision up
     * to the revision it is known to cover; every event agrees with the acknowledged write of its revision (or with
     * a write whose outcome is unknown), and with what every other watch saw at that revision; each event's previous
     * version is the key's previous change.
     */
    public static List<Violation> watches(List<Op> ops, List<WatchLog> watchers) {
        Collector v = new Collector("watch");
        Map<String, Change> acked = new HashMap<>();
        for (Change c : acknowledged(ops)) {
            acked.put(c.key() + "@" + c.revision(), c);
        }
        // Every change known to have happened, by revision: the acknowledged ones and those some watch saw.
        TreeMap<Long, List<WatchLog.Event>> known = new TreeMap<>();
        Map<String, WatchLog.Event> seen = new HashMap<>();
        Map<String, String> seenBy = new HashMap<>();
        for (Change c : acked.values()) {
            WatchLog.Event e = new WatchLog.Event(c.delete(), c.key(), c.revision(), c.kv(), null);
            known.computeIfAbsent(c.revision(), r -> new ArrayList<>()).add(e);
        }
        for (WatchLog w : watchers) {
            for (WatchLog.Segment s : w.segments()) {
                for (WatchLog.Event e : s.events()) {
                    String id = e.key() + "@" + e.revision();
                    WatchLog.Event first = seen.putIfAbsent(id, e);
                    if (first == null) {
                        seenBy.put(id, w + " " + s.index());
                        checkAgainstWrites(v, e, acked.get(id), ops, w, s);
                        if (acked.get(id) == null) {
                            known.computeIfAbsent(e.revision(), r -> new ArrayList<>()).add(e);
                        }
                    } else if (!sameChange(first, e)) {
                        v.add("watches disagree about " + id + ": " + seenBy.get(id) + " saw " + first + "; " + w
                                + " " + s.index() + " saw " + e);
                    }
                }
            }
        }
        for (WatchLog w : watchers) {
            Set<String> once = new HashSet<>();
            for (WatchLog.Segment s : w.segments()) {
                order(v, w, s, once);
                gaps(v, w, s, known, acked);
                previous(v, w, s, acked);
            }
        }
        return v.done();
    }

    private static boolean sameChange(WatchLog.Event a, WatchLog.Event b) {
        return a.delete() == b.delete() && (a.delete() || Objects.equals(a.kv(), b.kv()))
                && Objects.equals(a.prev(), b.prev());
    }

    private static void checkAgainstWrites(Collector v, WatchLog.Event e, Change c, List<Op> ops, WatchLog w,
            WatchLog.Segment s) {
        if (c != null) {
            if (c.delete() != e.delete() || !c.delete() && !c.kv().equals(e.kv())) {
                v.add(w + " " + s.index() + " saw " + e + ", but that revision was acknowledged as:\n    " + c.op());
            }
            return;
        }
        Op writer = null;
        for (Op op : ops) {
            if (!op.call().key().equals(e.key())) {
                continue;
            }
            boolean match = e.delete() ? op.call() instanceof Call.Delete
                    : op.call() instanceof Call.Put p && p.value().equals(e.kv().value())
                            || op.call() instanceof Call.Cas cas && cas.value().equals(e.kv().value());
            if (match && (writer == null || writer.outcome() == Op.Outcome.FAIL || op.outcome() == Op.Outcome.INFO)) {
                writer = op;
            }
        }
        if (writer == null || writer.outcome() == Op.Outcome.OK && e.delete()) {
            v.add(w + " " + s.index() + " saw " + e + ", a change no client made");
        } else if (writer.outcome() == Op.Outcome.FAIL) {
            v.add(w + " " + s.index() + " saw " + e + ", made by a write that failed (so had no effect):\n    "
                    + writer);
        } else if (writer.outcome() == Op.Outcome.OK) {
            v.add(w + " " + s.index() + " saw " + e + " at another revision than its write was acknowledged at:\n    "
                    + writer);
        }
    }

    private static void order(Collector v, WatchLog w, WatchLog.Segment s, Set<String> once) {
        long last = s.fromRevision() - 1;
        for (List<WatchLog.Event> batch : s.batches()) {
            long rev = batch.get(0).revision();
            if (rev <= last) {
                v.add(w + " " + s.index() + " (from revision " + s.fromRevision() + ") delivered revision " + rev
                        + " after revision " + last + (rev < s.fromRevision() ? ", before its start" : ""));
            }
            last = Math.max(last, rev);
            for (WatchLog.Event e : batch) {
                if (e.revision() != rev) {
                    v.add(w + " " + s.index() + " delivered revisions " + rev + " and " + e.revision()
                            + " in one batch");
                }
                if (!e.key().startsWith(w.prefix())) {
                    v.add(w + " " + s.index() + " delivered " + e + ", outside its prefix");
                }
                if (!once.add(e.key() + "@" + e.revision())) {
                    v.add(w + " delivered " + e + " twice (segment " + s.index() + ")");
                }
            }
        }
    }

    private static void gaps(Collector v, WatchLog w, WatchLog.Segment s, TreeMap<Long, List<WatchLog.Event>> known,
            Map<String, Change> acked) {
        Set<String> got = new HashSet<>();
        s.events().forEach(e -> got.add(e.key() + "@" + e.revision()));
        long to = s.coveredTo();
        if (to < s.fromRevision()) {
            return; // it delivered nothing and covered nothing
        }
        for (List<WatchLog.Event> changes : known.subMap(s.fromRevision(), true, to, true).values()) {
            for (WatchLog.Event c : changes) {
                String id = c.key() + "@" + c.revision();
                if (c.key().startsWith(w.prefix()) && !got.contains(id)) {
                    Change a = acked.get(id);
                    v.add(w + " " + s.index() + " (from revision " + s.fromRevision() + ", covering to " + to
                            + ") missed the change at revision " + c.revision() + " of " + c.key() + ", "
                            + (a != null ? "acknowledged by:\n    " + a.op() : "seen by another watch: " + c));
                }
            }
        }
    }

    private static void previous(Collector v, WatchLog w, WatchLog.Segment s, Map<String, Change> acked) {
        Map<String, WatchLog.Event> last = new HashMap<>();
        for (WatchLog.Event e : s.events()) {
            WatchLog.Event before = last.put(e.key(), e);
            Kv p = e.prev();
            String where = w + " " + s.index() + ": " + e;
            if (e.delete() && p == null) {
                v.add(where + " has no previous version");
                continue;
            }
            if (!e.delete() && (p == null) != (e.kv().version() == 1)) {
                v.add(where + ": a version " + e.kv().version() + " with " + (p == null ? "no" : "a")
                        + " previous version");
                continue;
            }
            if (before != null && p != null && p.modRevision() > before.revision()) {
                continue; // the watch missed the change in between: the gap check reports it
            }
            if (before != null) {
                Kv expected = before.delete() ? null : before.kv();
                if (!Objects.equals(p, expected)) {
                    v.add(where + ": its previous version should be the change before it, " + before);
                }
            } else if (p != null) {
                Change c = acked.get(e.key() + "@" + p.modRevision());
                if (c != null && (c.delete() || !c.kv().equals(p))) {
                    v.add(where + ": its previous version disagrees with the acknowledged write:\n    " + c.op());
                }
            }
        }
    }

    /** Gathers one check's violations, keeping the first few in full and counting the rest. */
    static final class Collector {
        private final String check;
        private final List<Violation> out = new ArrayList<>();
        private int more;

        Collector(String check) {
            this.check = check;
        }

        void add(String message) {
            if (out.size() < SHOWN) {
                out.add(new Violation(check, message));
            } else {
                more++;
            }
        }

        List<Violation> done() {
            if (more > 0) {
                out.add(new Violation(check, "... and " + more + " more of the same check"));
            }
            return out;
        }
    }
}
