package dev.drydock.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The multi-version state machine behind a store: a pure object (no threads, no clock, no locking), so that a
 * single replica and each replica of a replicated log apply writes through the same code.
 *
 * <p>Each key keeps its versions in revision order; a delete appends a tombstone. A compaction keeps, per key, only
 * the newest version at or below the compaction revision (and drops it if it is a tombstone).
 *
 * <p>The state holds the store's leases too, as etcd's lessor: each lease's id and granted TTL, and the keys
 * attached to it. When a lease expires is not part of the state (it depends on a clock, the leader's; see
 * {@link LeaseDeadlines}): expiry reaches the state as a revocation ({@link #revokeLease}).
 *
 * <p>A state can be copied as a list of chunks ({@link #snapshot(int, Consumer)}) and rebuilt from them
 * ({@link #restore(List)}), as a replica that catches up from a snapshot does. Chunks are immutable and share the
 * key values (and their value arrays, immutable by convention) with the state they came from: in-process replicas
 * pass them by reference, never serialized.
 *
 * <p>So that a snapshot costs a pass over the keys, not a copy of every version and of the whole watch history (a
 * replica takes one every few thousand writes), a key's versions and the watch history are kept in arrays whose
 * slots are written once, appended to and never modified: a snapshot shares them.
 */
public final class MvccState {

    /** A version of a key that records its deletion at {@code modRevision}. */
    private static boolean isTombstone(KeyValue kv) {
        return kv.value() == null;
    }

    /** The empty value of a delete event's key value: one array for all (values are never modified). */
    private static final byte[] NO_VALUE = new byte[0];

    /** Where replicas of one store share equal records, or null (a state on its own). */
    private final SharedRecords shared;
    /** Each key's versions, in key order for ranges. */
    private final TreeMap<String, Versions> index = new TreeMap<>();
    /** The same versions by key, for the writes' and gets' single-key look-ups. */
    private final HashMap<String, Versions> byKey = new HashMap<>();
    /** Every change since the compaction revision, in revision order, for watches that start in the past. */
    private final History history = new History();
    private long revision;
    private long compactRevision;
    /** Every lease's granted TTL, by id. */
    private final TreeMap<Long, Duration> leases = new TreeMap<>();
    /** The keys attached to each lease, by lease id (a lease without keys has no entry). */
    private final HashMap<Long, TreeSet<String>> leaseKeys = new HashMap<>();
    /** The lease each attached key belongs to. */
    private final HashMap<String, Long> keyLease = new HashMap<>();

    /** A state on its own. */
    public MvccState() {
        this(null);
    }

    /**
     * A replica's state, which shares the key values, events and results it makes with the equal ones other replicas
     * of its store made ({@link SharedRecords}).
     */
    MvccState(SharedRecords shared) {
        this.shared = shared;
    }

    private <T> T share(T record) {
        return shared == null ? record : shared.share(record);
    }

    public long revision() {
        return revision;
    }

    public long compactRevision() {
        return compactRevision;
    }

    public KeyValue get(String key, long atRevision) {
        long rev = readRevision(atRevision);
        Versions versions = byKey.get(key);
        return versions == null ? null : versions.visible(rev);
    }

    public RangeResult range(String prefix, String fromKey, long atRevision, int limit) {
        long rev = readRevision(atRevision);
        String start = fromKey != null && fromKey.compareTo(prefix) > 0 ? fromKey : prefix;
        String end = prefixEnd(prefix);
        List<KeyValue> out = new ArrayList<>();
        boolean more = false;
        if (start.compareTo(end) >= 0) {
            // etcd answers an empty range, it does not fail, when the start key lies past the range end.
            return new RangeResult(out, revision, false);
        }
        NavigableMap<String, Versions> keys = index.subMap(start, true, end, false);
        for (Map.Entry<String, Versions> e : keys.entrySet()) {
            KeyValue kv = e.getValue().visible(rev);
            if (kv == null) {
                continue;
            }
            if (limit > 0 && out.size() == limit) {
                more = true;
                break;
            }
            out.add(kv);
        }
        return new RangeResult(out, revision, more);
    }

    /**
     * Applies a transaction. Returns its result; the changes it made (all at the new revision) are appended to
     * {@code events}.
     */
    public TxnResult apply(Txn txn, List<WatchEvent> events) {
        boolean ok = true;
        for (Compare c : txn.compares()) {
            if (!c.holds(get(c.key(), 0))) {
                ok = false;
                break;
            }
        }
        List<TxnOp> ops = ok ? txn.success() : txn.failure();
        boolean writes = false;
        for (TxnOp op : ops) {
            // As etcd's applier, before any change: the transaction fails as a whole.
            if (op.kind() == TxnOp.Kind.PUT && op.lease() != 0 && !leases.containsKey(op.lease())) {
                throw leaseNotFound();
            }
            writes |= op.kind() != TxnOp.Kind.GET;
        }
        long rev = writes ? revision + 1 : revision;
        List<KeyValue> results = new ArrayList<>(ops.size());
        int firstEvent = events.size();
        for (TxnOp op : ops) {
            switch (op.kind()) {
                case GET -> results.add(latest(op.key()));
                case PUT -> {
                    Versions versions = byKey.get(op.key());
                    KeyValue prev = versions == null ? null : versions.latest();
                    KeyValue kv = share(new KeyValue(op.key(), op.value(),
                            prev == null ? rev : prev.createRevision(), rev, prev == null ? 1 : prev.version() + 1));
                    if (versions == null) {
                        versions = new Versions(kv);
                        index.put(op.key(), versions);
                        byKey.put(op.key(), versions);
                    } else {
                        versions.append(kv);
                    }
                    attach(op.key(), op.lease());
                    events.add(share(new WatchEvent(WatchEvent.Type.PUT, kv, prev)));
                    results.add(kv);
                }
                case DELETE -> results.add(delete(op.key(), rev, events));
            }
        }
        if (events.size() > firstEvent) {
            // A transaction whose deletes all missed wrote nothing: etcd does not bump the revision then either.
            revision = rev;
            for (int i = firstEvent; i < events.size(); i++) {
                history.add(events.get(i));
            }
        }
        return share(new TxnResult(ok, revision, results));
    }

    /** Deletes a key at {@code rev} if it exists, detaching it from its lease; returns its last version. */
    private KeyValue delete(String key, long rev, List<WatchEvent> events) {
        Versions versions = byKey.get(key);
        KeyValue prev = versions == null ? null : versions.latest();
        if (prev != null) {
            versions.append(share(new KeyValue(key, null, 0, rev, 0))); // a tombstone
            events.add(share(new WatchEvent(WatchEvent.Type.DELETE, share(new KeyValue(key, NO_VALUE, 0, rev, 0)),
                    prev)));
            attach(key, 0);
        }
        return prev;
    }

    /** Attaches a key to a lease ({@code 0}: to none), detaching it from the lease it had. */
    private void attach(String key, long lease) {
        Long old = lease == 0 ? keyLease.remove(key) : keyLease.put(key, leaseId(lease));
        if (old != null && old != lease) {
            TreeSet<String> keys = leaseKeys.get(old);
            keys.remove(key);
            if (keys.isEmpty()) {
                leaseKeys.remove(old);
            }
        }
        if (lease != 0) {
            leaseKeys.computeIfAbsent(lease, l -> new TreeSet<>()).add(key);
        }
    }

    /** The lease's id as boxed in {@link #leases}: one object for all the keys attached to it, not one each. */
    private Long leaseId(long lease) {
        Long id = leases.ceilingKey(lease);
        return id != null && id == lease ? id : Long.valueOf(lease);
    }

    // ---- leases

    /**
     * Grants lease {@code id} with TTL {@code ttl} (the TTL the store granted: its minimum applied already). Changes
     * no key and no revision, as etcd's grant.
     *
     * @throws StoreException {@code LEASE_EXISTS} if the lease exists
     */
    public void grantLease(long id, Duration ttl) {
        if (id <= 0) {
            throw new IllegalArgumentException("a lease id is positive, got " + id);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease TTL is positive, got " + ttl);
        }
        if (leases.containsKey(id)) {
            throw new StoreException(StoreException.Reason.LEASE_EXISTS, "etcdserver: lease already exists",
                    revision);
        }
        leases.put(id, ttl);
    }

    /**
     * Revokes lease {@code id}: deletes every key attached to it at one new revision (none if it has no keys), the
     * changes appended to {@code events}, and forgets the lease. The result lists the deleted keys' last versions.
     *
     * @throws StoreException {@code LEASE_NOT_FOUND} if there is no such lease
     */
    public TxnResult revokeLease(long id, List<WatchEvent> events) {
        if (!leases.containsKey(id)) {
            throw leaseNotFound();
        }
        TreeSet<String> keys = leaseKeys.remove(id);
        List<KeyValue> deleted = new ArrayList<>();
        if (keys != null) {
            long rev = revision + 1;
            int firstEvent = events.size();
            for (String key : keys) {
                keyLease.remove(key); // before delete(): the set being iterated is not touched
                deleted.add(delete(key, rev, events));
            }
            if (events.size() > firstEvent) {
                revision = rev;
                for (int i = firstEvent; i < events.size(); i++) {
                    history.add(events.get(i));
                }
            }
        }
        leases.remove(id);
        return new TxnResult(true, revision, deleted);
    }

    /** Lease {@code id}'s granted TTL, or {@code null} if there is no such lease. */
    public Duration leaseTtl(long id) {
        return leases.get(id);
    }

    /** The keys attached to lease {@code id}, in key order (none for an unknown lease). */
    public List<String> leaseKeys(long id) {
        TreeSet<String> keys = leaseKeys.get(id);
        return keys == null ? List.of() : List.copyOf(keys);
    }

    /** The lease a key is attached to, {@code 0} if none. */
    public long keyLease(String key) {
        return keyLease.getOrDefault(key, 0L);
    }

    /** Every lease's granted TTL, by id. */
    public Map<Long, Duration> leases() {
        return Map.copyOf(leases);
    }

    private StoreException leaseNotFound() {
        return new StoreException(StoreException.Reason.LEASE_NOT_FOUND, "etcdserver: requested lease not found",
                revision);
    }

    /** The recorded changes under {@code prefix} with a revision of at least {@code fromRevision}. */
    public List<WatchEvent> changesSince(String prefix, long fromRevision) {
        if (fromRevision < compactRevision) {
            throw compacted();
        }
        int i = firstEventAtOrAfter(fromRevision);
        List<WatchEvent> out = new ArrayList<>();
        for (int size = history.size(); i < size; i++) {
            WatchEvent e = history.get(i);
            if (e.kv().key().startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }

    public void compact(long atRevision) {
        if (atRevision <= compactRevision) {
            throw compacted();
        }
        if (atRevision > revision) {
            throw new StoreException(StoreException.Reason.FUTURE_REVISION,
                    "mvcc: required revision is a future revision", revision);
        }
        var it = index.entrySet().iterator();
        while (it.hasNext()) {
            Versions entry = it.next().getValue();
            KeyValue[] versions = entry.slots;
            int count = entry.count;
            int keep = 0;
            for (int i = 0; i < count && versions[i].modRevision() <= atRevision; i++) {
                keep = i;
            }
            if (isTombstone(versions[keep]) && versions[keep].modRevision() <= atRevision) {
                keep++;
            }
            if (keep == count) {
                it.remove();
                byKey.remove(versions[0].key());
            } else if (keep > 0) {
                entry.dropFirst(keep);
            }
        }
        history.dropFirst(firstEventAtOrAfter(atRevision));
        compactRevision = atRevision;
    }

    /** The first chunk of a snapshot: the revisions, and how many chunks follow. */
    record SnapshotHeader(long revision, long compactRevision, int keyChunks, int historyChunks,
                          int leaseChunks) {
    }

    /** Some leases: each one's id, granted TTL and attached keys. */
    record SnapshotLeases(List<SnapshotLease> leases) {
    }

    /** One lease of a snapshot. */
    record SnapshotLease(long id, Duration ttl, List<String> keys) {
    }

    /** Every kept version of some keys. */
    record SnapshotKeys(List<KeyVersions> versions) {
    }

    /** A key's versions in revision order: the first {@code count} slots, which are never modified. */
    record KeyVersions(KeyValue[] slots, int count) {
    }

    /** A part of the watch history window, in revision order. */
    record SnapshotHistory(List<WatchEvent> events) {
    }

    /**
     * Hands {@code out} this state as chunks: a header with the revision and compaction revision, then every kept
     * version of every key ({@code perChunk} keys a chunk), then the watch history window ({@code perChunk} events a
     * chunk), then the leases ({@code perChunk} leases a chunk). {@link #restore(List)} rebuilds an equal state from
     * them. Costs a pass over the keys and the leases: the chunks share the versions and the history with this state,
     * which never modifies them.
     *
     * <p>Equal states give equal chunks, however each came to be (restored from a snapshot or not, compacted when):
     * MicroRaft collects a snapshot's chunks from the leader and from the followers that took a snapshot at the same
     * index, each chunk from any of them, so the chunks must split the state at the same places on every replica.
     */
    public void snapshot(int perChunk, Consumer<Object> out) {
        if (perChunk < 1) {
            throw new IllegalArgumentException("perChunk must be >= 1, got " + perChunk);
        }
        int keyChunks = (index.size() + perChunk - 1) / perChunk;
        List<List<WatchEvent>> historyChunks = history.chunks(perChunk);
        int leaseChunks = (leases.size() + perChunk - 1) / perChunk;
        out.accept(new SnapshotHeader(revision, compactRevision, keyChunks, historyChunks.size(), leaseChunks));
        List<KeyVersions> keys = new ArrayList<>(Math.min(perChunk, index.size()));
        for (Versions versions : index.values()) {
            keys.add(new KeyVersions(versions.slots, versions.count));
            if (keys.size() == perChunk) {
                out.accept(new SnapshotKeys(List.copyOf(keys)));
                keys.clear();
            }
        }
        if (!keys.isEmpty()) {
            out.accept(new SnapshotKeys(List.copyOf(keys)));
        }
        for (List<WatchEvent> block : historyChunks) {
            out.accept(new SnapshotHistory(block));
        }
        List<SnapshotLease> someLeases = new ArrayList<>(Math.min(perChunk, leases.size()));
        for (Map.Entry<Long, Duration> lease : leases.entrySet()) {
            someLeases.add(new SnapshotLease(lease.getKey(), lease.getValue(), leaseKeys(lease.getKey())));
            if (someLeases.size() == perChunk) {
                out.accept(new SnapshotLeases(List.copyOf(someLeases)));
                someLeases.clear();
            }
        }
        if (!someLeases.isEmpty()) {
            out.accept(new SnapshotLeases(List.copyOf(someLeases)));
        }
    }

    /**
     * Replaces this state with the one the chunks of {@link #snapshot(int, Consumer)} describe.
     *
     * @throws IllegalArgumentException if the chunks are not one whole snapshot
     */
    public void restore(List<Object> chunks) {
        if (chunks.isEmpty() || !(chunks.get(0) instanceof SnapshotHeader header)) {
            throw new IllegalArgumentException("a snapshot starts with its header");
        }
        int expected = 1 + header.keyChunks() + header.historyChunks() + header.leaseChunks();
        if (chunks.size() != expected) {
            throw new IllegalArgumentException("a snapshot of " + expected + " chunks, got " + chunks.size());
        }
        List<SnapshotLease> restoredLeases = new ArrayList<>();
        TreeMap<String, Versions> keys = new TreeMap<>();
        List<WatchEvent> events = new ArrayList<>();
        for (Object chunk : chunks.subList(1, chunks.size())) {
            if (chunk instanceof SnapshotKeys k) {
                for (KeyVersions versions : k.versions()) {
                    keys.put(versions.slots()[0].key(), new Versions(versions));
                }
            } else if (chunk instanceof SnapshotHistory h) {
                events.addAll(h.events());
            } else if (chunk instanceof SnapshotLeases l) {
                restoredLeases.addAll(l.leases());
            } else {
                throw new IllegalArgumentException("not a chunk of a store snapshot: " + chunk);
            }
        }
        index.clear();
        index.putAll(keys);
        byKey.clear();
        byKey.putAll(keys);
        history.clear();
        for (WatchEvent e : events) {
            history.add(e);
        }
        revision = header.revision();
        compactRevision = header.compactRevision();
        leases.clear();
        leaseKeys.clear();
        keyLease.clear();
        for (SnapshotLease lease : restoredLeases) {
            leases.put(lease.id(), lease.ttl());
            for (String key : lease.keys()) {
                attach(key, lease.id());
            }
        }
    }

    private long readRevision(long atRevision) {
        if (atRevision <= 0) {
            return revision;
        }
        if (atRevision < compactRevision) {
            throw compacted();
        }
        if (atRevision > revision) {
            throw new StoreException(StoreException.Reason.FUTURE_REVISION,
                    "mvcc: required revision is a future revision", revision);
        }
        return atRevision;
    }

    private StoreException compacted() {
        return new StoreException(StoreException.Reason.COMPACTED,
                "mvcc: required revision has been compacted", compactRevision);
    }

    /**
     * The newest version of a key, including one written earlier in the transaction being applied: etcd's write
     * transaction reads its own writes ({@code storeTxnWrite.Range} reads at {@code beginRev + 1} once it changed).
     */
    private KeyValue latest(String key) {
        Versions versions = byKey.get(key);
        return versions == null ? null : versions.latest();
    }

    /**
     * A key's versions in revision order: the first {@code count} slots of an array. A slot is written once, so a
     * snapshot shares the array; a state restored from one copies it before its first write of its own.
     */
    private static final class Versions {
        KeyValue[] slots;
        int count;
        /** Whether the slots past {@code count} are this state's to write (not those of a snapshot's source). */
        boolean owned;

        Versions(KeyValue kv) {
            this.slots = new KeyValue[] {kv};
            this.count = 1;
            this.owned = true;
        }

        Versions(KeyVersions shared) {
            this.slots = shared.slots();
            this.count = shared.count();
        }

        KeyValue latest() {
            KeyValue kv = slots[count - 1];
            return isTombstone(kv) ? null : kv;
        }

        KeyValue visible(long rev) {
            for (int i = count - 1; i >= 0; i--) {
                KeyValue kv = slots[i];
                if (kv.modRevision() <= rev) {
                    return isTombstone(kv) ? null : kv;
                }
            }
            return null;
        }

        void append(KeyValue kv) {
            if (!owned || count == slots.length) {
                slots = Arrays.copyOf(slots, count + Math.max(1, count >> 1));
                owned = true;
            }
            slots[count++] = kv;
        }

        /** Drops the oldest versions into a new array: the old one may be shared with a snapshot. */
        void dropFirst(int n) {
            slots = Arrays.copyOfRange(slots, n, count);
            count -= n;
            owned = true;
        }
    }

    private int firstEventAtOrAfter(long rev) {
        int lo = 0;
        int hi = history.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (history.get(mid).revision() < rev) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static String prefixEnd(String prefix) {
        return prefix + Character.MAX_VALUE;
    }

    /**
     * The watch history: a sequence of events in blocks of {@value #BLOCK}, appended to at the end and dropped from
     * the front. A slot is written once and never again, so a snapshot shares the blocks' written parts.
     */
    private static final class History {
        static final int BLOCK = 1024;

        private final ArrayList<WatchEvent[]> blocks = new ArrayList<>();
        /** The index in the first block of the first event. */
        private int head;
        private int size;

        int size() {
            return size;
        }

        void add(WatchEvent e) {
            int slot = head + size;
            if (slot == blocks.size() * BLOCK) {
                blocks.add(new WatchEvent[BLOCK]);
            }
            blocks.get(slot / BLOCK)[slot % BLOCK] = e;
            size++;
        }

        WatchEvent get(int i) {
            int slot = head + i;
            return blocks.get(slot / BLOCK)[slot % BLOCK];
        }

        void dropFirst(int n) {
            if (n >= size) {
                clear();
                return;
            }
            head += n;
            size -= n;
            int whole = head / BLOCK;
            if (whole > 0) {
                blocks.subList(0, whole).clear();
                head -= whole * BLOCK;
            }
        }

        void clear() {
            blocks.clear(); // new blocks from now on: the old ones may be shared with a snapshot
            head = 0;
            size = 0;
        }

        /**
         * Read-only views of the events in order, {@code perChunk} a view (the last one the rest): split by position
         * in the history, not by block, since where the blocks start differs between equal histories (a restored
         * one starts at the first slot of a block). Later writes never change them: they share the blocks, whose
         * written slots are never written again.
         */
        List<List<WatchEvent>> chunks(int perChunk) {
            WatchEvent[][] shared = blocks.toArray(WatchEvent[][]::new);
            List<List<WatchEvent>> out = new ArrayList<>((size + perChunk - 1) / perChunk);
            for (int from = 0; from < size; from += perChunk) {
                out.add(new Slice(shared, head + from, Math.min(perChunk, size - from)));
            }
            return out;
        }

        /** {@code size} events of the blocks from slot {@code first} of the first block on. */
        private static final class Slice extends AbstractList<WatchEvent> implements RandomAccess {
            private final WatchEvent[][] blocks;
            private final int first;
            private final int size;

            Slice(WatchEvent[][] blocks, int first, int size) {
                this.blocks = blocks;
                this.first = first;
                this.size = size;
            }

            @Override
            public WatchEvent get(int i) {
                Objects.checkIndex(i, size);
                int slot = first + i;
                return blocks[slot / BLOCK][slot % BLOCK];
            }

            @Override
            public int size() {
                return size;
            }
        }
    }
}
