package dev.drydock.store.check;

import java.util.List;
import java.util.Objects;

/**
 * The sequential specification of one etcd key, as a register with etcd's metadata: whether it exists, its value,
 * create revision, mod revision and version. Revisions are global in etcd, so the model cannot predict them: it takes
 * them from the answers and checks what one key's history fixes (a write's mod revision is above the key's previous
 * one; version counts puts since creation; create revision stays until a delete). A write whose outcome is unknown
 * leaves the revisions it would have set {@link #UNKNOWN}; the first read that sees them binds them.
 *
 * <p>Pure and immutable: {@link #step} returns the next state or {@code null} if the operation cannot take effect
 * (or cannot have answered what it did) in this state.
 */
final class RegisterModel {

    static final long UNKNOWN = -1;

    /**
     * One state of the key. An absent key is always {@link #ABSENT}: its deletion's revision is not kept, so that
     * the search sees one state however the key came to be absent (the revisions check orders a create after a
     * delete acknowledged before it).
     */
    record State(boolean exists, String value, long createRevision, long modRevision, long version) {
        static final State ABSENT = new State(false, null, 0, 0, 0);
        static final State INITIAL = ABSENT;

        @Override
        public String toString() {
            if (!exists) {
                return "absent";
            }
            return "\"" + value + "\"@" + rev(modRevision) + " (create " + rev(createRevision) + ", version "
                    + version + ")";
        }

        private static String rev(long r) {
            return r == UNKNOWN ? "?" : String.valueOf(r);
        }
    }

    private RegisterModel() {
    }

    /**
     * Applies one operation on one key.
     *
     * @param unknown whether the operation's outcome is unknown (it took effect, here; not taking effect is the
     *                checker's other choice)
     * @param lenient whether versions and create revisions are taken from the answers rather than checked: for a
     *                key some of whose unknown writes were left out of the search (see
     *                {@link LinearizabilityChecker}), as each of them may have bumped the version unseen
     * @param why     when not {@code null}, receives the reason of a {@code null} answer
     */
    static State step(State s, Call call, Result result, boolean unknown, boolean lenient, List<String> why) {
        if (call instanceof Call.Get) {
            return read(s, ((Result.Get) result).kv(), lenient, why);
        }
        if (call instanceof Call.Put p) {
            return unknown ? putUnknown(s, p.value())
                    : put(s, p.value(), ((Result.Put) result).kv(), lenient, why);
        }
        if (call instanceof Call.Delete) {
            return unknown ? deleteUnknown(s) : delete(s, (Result.Delete) result, lenient, why);
        }
        if (call instanceof Call.Cas c) {
            return unknown ? casUnknown(s, c, why) : cas(s, c, (Result.Cas) result, lenient, why);
        }
        throw new IllegalArgumentException("not a single-key operation: " + call); // a range: one get per key
    }

    private static State read(State s, Kv kv, boolean lenient, List<String> why) {
        if (kv == null) {
            return s.exists() ? reject(why, "read absent, but the key holds " + s) : s;
        }
        if (!s.exists()) {
            return reject(why, "read " + kv + ", but the key is " + s);
        }
        if (!Objects.equals(kv.value(), s.value()) || !matches(s.modRevision(), kv.modRevision())
                || !lenient && (kv.version() != s.version() || !matches(s.createRevision(), kv.createRevision()))) {
            return reject(why, "read " + kv + ", but the key holds " + s);
        }
        if (s.modRevision() == kv.modRevision() && s.createRevision() == kv.createRevision()
                && s.version() == kv.version()) {
            return s;
        }
        return new State(true, s.value(), kv.createRevision(), kv.modRevision(), kv.version());
    }

    private static boolean matches(long modelled, long seen) {
        return modelled == UNKNOWN || modelled == seen;
    }

    private static State put(State s, String value, Kv kv, boolean lenient, List<String> why) {
        if (!Objects.equals(kv.value(), value)) {
            return reject(why, "a put of \"" + value + "\" answered " + kv);
        }
        if (s.modRevision() != UNKNOWN && kv.modRevision() <= s.modRevision()) {
            return reject(why, "wrote at revision " + kv.modRevision() + ", not after the key's last change "
                    + s.modRevision() + " (" + s + ")");
        }
        if (lenient) {
            return new State(true, value, kv.createRevision(), kv.modRevision(), kv.version());
        }
        if (s.exists()) {
            if (kv.version() != s.version() + 1 || !matches(s.createRevision(), kv.createRevision())) {
                return reject(why, "wrote " + kv + " over " + s + ": expected version " + (s.version() + 1)
                        + " and create revision " + State.rev(s.createRevision()));
            }
        } else if (kv.version() != 1 || kv.createRevision() != kv.modRevision()) {
            return reject(why, "created " + kv + ", expected version 1 and create revision = mod revision");
        }
        return new State(true, value, kv.createRevision(), kv.modRevision(), kv.version());
    }

    private static State putUnknown(State s, String value) {
        return s.exists() ? new State(true, value, s.createRevision(), UNKNOWN, s.version() + 1)
                : new State(true, value, UNKNOWN, UNKNOWN, 1);
    }

    private static State delete(State s, Result.Delete r, boolean lenient, List<String> why) {
        if (r.prev() == null) {
            return s.exists() ? reject(why, "deleted nothing, but the key holds " + s) : s;
        }
        State seen = read(s, r.prev(), lenient, why);
        if (seen == null) {
            return null;
        }
        if (s.modRevision() != UNKNOWN && r.revision() <= s.modRevision()) {
            return reject(why, "deleted at revision " + r.revision() + ", not after the key's last change " + s);
        }
        return State.ABSENT;
    }

    private static State deleteUnknown(State s) {
        return State.ABSENT;
    }

    /** Whether the compare holds: TRUE, FALSE, or null when it depends on a revision not yet known. */
    private static Boolean compare(State s, Call.Cas c) {
        if (c.expectValue() != null) {
            return s.exists() && c.expectValue().equals(s.value());
        }
        if (!s.exists()) {
            return c.expectModRevision() == 0; // etcd: a missing key's mod revision is 0
        }
        return s.modRevision() == UNKNOWN ? null : s.modRevision() == c.expectModRevision();
    }

    private static State cas(State s, Call.Cas c, Result.Cas r, boolean lenient, List<String> why) {
        if (r.succeeded()) {
            if (Boolean.FALSE.equals(compare(s, c))) {
                return reject(why, "succeeded, but its compare does not hold on " + s);
            }
            State before = compare(s, c) == null
                    ? new State(true, s.value(), s.createRevision(), c.expectModRevision(), s.version()) : s;
            return put(before, c.value(), r.kv(), lenient, why);
        }
        State seen = read(s, r.kv(), lenient, why); // the failure branch reads the key
        if (seen == null) {
            return null;
        }
        if (Boolean.TRUE.equals(compare(seen, c))) {
            return reject(why, "failed, but its compare holds on " + seen);
        }
        return seen;
    }

    private static State casUnknown(State s, Call.Cas c, List<String> why) {
        Boolean holds = compare(s, c);
        if (Boolean.FALSE.equals(holds)) {
            return reject(why, "its compare does not hold on " + s + " (so here it can only have had no effect)");
        }
        State before = holds == null
                ? new State(true, s.value(), s.createRevision(), c.expectModRevision(), s.version()) : s;
        return putUnknown(before, c.value());
    }

    private static State reject(List<String> why, String reason) {
        if (why != null) {
            why.add(reason);
        }
        return null;
    }
}
