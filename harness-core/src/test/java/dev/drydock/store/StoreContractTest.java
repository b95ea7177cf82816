package dev.drydock.store;

import static dev.drydock.store.MvccStateTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, run against each implementation: watches from the past and live, their order
 * under concurrent writers, progress, compaction, and close.
 */
abstract class StoreContractTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** A name of its own per test instance, so that the thread checks see only this store's threads. */
    final String cluster = "t" + System.identityHashCode(this);
    private final Store store = newStore();

    /** A new store whose threads' names start with {@code drydock-<cluster>-store}. */
    abstract Store newStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aWatchFromAPastRevisionReplaysTheChangesThenStreamsLiveOnes() {
        store.put("/p/a", bytes("1"));
        store.put("/p/b", bytes("1"));
        store.put("/p/a", bytes("2"));
        Recorder rec = new Recorder();

        store.watch("/p/", 2, rec);
        store.delete("/p/b");
        store.put("/p/c", bytes("1"));

        eventually().until(() -> rec.revisions().size() == 4);
        assertThat(rec.revisions()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(rec.events()).extracting(e -> e.type() + " " + e.kv().key())
                .containsExactly("PUT /p/b", "PUT /p/a", "DELETE /p/b", "PUT /p/c");
    }

    @Test
    void aWatchFromRevisionZeroSeesOnlyLaterChanges() {
        store.put("/p/a", bytes("1"));
        Recorder rec = new Recorder();

        store.watch("/p/", 0, rec);
        store.put("/p/b", bytes("1"));

        eventually().until(() -> !rec.events().isEmpty());
        assertThat(rec.revisions()).containsExactly(2L);
    }

    @Test
    void aWatchDeliversTheChangesOfOneTransactionInOneCall() {
        Recorder rec = new Recorder();
        store.watch("/p/", 0, rec);

        store.txn(new Txn(List.of(), List.of(TxnOp.put("/p/a", bytes("1")), TxnOp.put("/p/b", bytes("1")),
                TxnOp.put("/q/c", bytes("1"))), List.of()));

        eventually().until(() -> rec.batches.size() == 1);
        assertThat(rec.batches.get(0)).extracting(e -> e.kv().key()).containsExactly("/p/a", "/p/b");
    }

    @Test
    void aProgressRequestIsAnsweredAfterEveryChangeBeforeIt() {
        Recorder rec = new Recorder();
        Watch w = store.watch("/p/", 0, rec);
        store.put("/p/a", bytes("1"));
        long elsewhere = store.put("/q/b", bytes("1")).modRevision();

        w.requestProgress();

        eventually().until(() -> !rec.progress.isEmpty());
        assertThat(rec.progress).containsExactly(elsewhere);
        assertThat(rec.revisions()).containsExactly(elsewhere - 1); // heard before the progress
        assertThat(rec.order).containsExactly("events", "progress");
    }

    @Test
    void aWatchSeesOnlyKeysUnderItsPrefix() {
        Recorder pods = new Recorder();
        Recorder all = new Recorder();
        store.watch("/registry/pods/", 1, pods);
        store.watch("/", 1, all);

        store.put("/registry/podsx", bytes("1"));
        store.put("/registry/pods/a", bytes("1"));
        store.put("/registry/nodes/a", bytes("1"));

        eventually().until(() -> all.events().size() == 3);
        eventually().until(() -> pods.events().size() == 1);
        assertThat(pods.events()).extracting(e -> e.kv().key()).containsExactly("/registry/pods/a");
    }

    @Test
    void aWatchFromACompactedRevisionFailsWithCompacted() {
        for (int i = 0; i < 5; i++) {
            store.put("/p/a", bytes(Integer.toString(i)));
        }
        store.compact(4);

        assertThatThrownBy(() -> store.watch("/p/", 3, new Recorder()))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StoreException.Reason.COMPACTED);
                    assertThat(e.revision()).isEqualTo(4);
                });
        Recorder fromCompaction = new Recorder();
        store.watch("/p/", 4, fromCompaction);
        eventually().until(() -> fromCompaction.revisions().equals(List.of(4L, 5L)));
    }

    @Test
    void aClosedWatchGetsNoMoreEvents() throws Exception {
        Recorder rec = new Recorder();
        Watch w = store.watch("/p/", 0, rec);
        store.put("/p/a", bytes("1"));
        eventually().until(() -> rec.events().size() == 1);

        w.close();
        store.put("/p/a", bytes("2"));
        Recorder after = new Recorder();
        store.watch("/p/", 2, after);

        // The later watch sees revision 2 only once the dispatcher has passed it: the closed one had its chance.
        eventually().until(() -> after.events().size() == 1);
        assertThat(rec.revisions()).containsExactly(1L);
        assertThat(rec.closed).isNotDone();
    }

    @Test
    void aListenerThatThrowsEndsItsOwnWatchOnlyAndOthersKeepTheirEvents() {
        Recorder before = new Recorder();
        Recorder after = new Recorder();
        store.watch("/p/", 0, before);
        java.util.concurrent.CompletableFuture<StoreException> brokenClosed = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger brokenCalls = new java.util.concurrent.atomic.AtomicInteger();
        store.watch("/p/", 0, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                brokenCalls.incrementAndGet();
                throw new AssertionError("a broken listener");
            }

            @Override
            public void onClose(StoreException cause) {
                brokenClosed.complete(cause);
            }
        });
        store.watch("/p/", 0, after);

        store.put("/p/a", bytes("1"));
        store.put("/p/b", bytes("1"));

        eventually().until(() -> before.events().size() == 2 && after.events().size() == 2);
        assertThat(after.revisions()).containsExactly(1L, 2L);
        // The broken watch ends (its owner must list again) rather than silently missing events.
        eventually().until(brokenClosed::isDone);
        assertThat(brokenClosed.join().reason()).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(brokenCalls.get()).isEqualTo(1);
    }

    @Test
    void everyWatchSeesEveryRevisionOnceAndInOrderWhileWritersRace() throws Exception {
        long seed = 20240611L;
        Random random = new Random(seed);
        int writers = 4;
        int writesEach = 300;
        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < writers; t++) {
            long writerSeed = random.nextLong();
            Thread thread = new Thread(() -> {
                Random r = new Random(writerSeed);
                awaitLatch(start);
                for (int i = 0; i < writesEach; i++) {
                    String key = "/p/" + r.nextInt(20);
                    // A put always writes; a delete only writes when the key exists, so put then delete.
                    store.put(key, bytes(Integer.toString(i)));
                    if (r.nextInt(4) == 0) {
                        store.delete(key);
                    }
                }
            }, "drydock-t-writer-" + t);
            threads.add(thread);
        }
        Recorder fromStart = new Recorder();
        store.watch("/p/", 1, fromStart);
        threads.forEach(Thread::start);
        start.countDown();
        // Watches that join while the writers run, from a past revision each.
        List<Recorder> joiners = new ArrayList<>();
        List<Long> joinedFrom = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long threshold = (i + 1) * 150L;
            eventually().until(() -> store.revision() >= threshold);
            long now = store.revision();
            long from = 1 + random.nextInt((int) now);
            Recorder rec = new Recorder();
            store.watch("/p/", from, rec);
            joiners.add(rec);
            joinedFrom.add(from);
            Thread.yield();
        }
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
            assertThat(t.isAlive()).as("writer %s finished (seed %d)", t.getName(), seed).isFalse();
        }
        long last = store.revision();
        Map<String, String> finalState = new HashMap<>();
        store.range("/p/", null, 0, 0).kvs()
                .forEach(kv -> finalState.put(kv.key(), new String(kv.value(), StandardCharsets.UTF_8)));

        eventually().until(() -> fromStart.lastRevision() == last);
        assertThat(fromStart.revisions()).as("seed %d", seed).isEqualTo(range(1, last));
        assertThat(fromStart.replayedState()).as("seed %d", seed).isEqualTo(finalState);
        for (int i = 0; i < joiners.size(); i++) {
            Recorder rec = joiners.get(i);
            eventually().until(() -> rec.lastRevision() == last);
            assertThat(rec.revisions()).as("watch %d from %d (seed %d)", i, joinedFrom.get(i), seed)
                    .isEqualTo(range(joinedFrom.get(i), last));
            assertThat(rec.batchesHaveOneRevisionEach()).isTrue();
        }
    }

    @Test
    void closeStopsTheDispatchThreadAndClosesOpenWatches() {
        Recorder open = new Recorder();
        Recorder closedByClient = new Recorder();
        store.watch("/p/", 0, open);
        store.watch("/p/", 0, closedByClient).close();
        store.put("/p/leased", bytes("1"), store.leaseGrant(TTL)); // a lease pending expiry holds no thread either
        assertThat(storeThreads()).isTrue();

        store.close();

        assertThat(storeThreads()).isFalse();
        assertThat(open.closed).isCompleted();
        assertThat(open.closed.join().reason()).isEqualTo(StoreException.Reason.CLOSED);
        assertThat(closedByClient.closed).isNotDone();
        assertThatThrownBy(() -> store.put("/p/a", bytes("1")))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CLOSED));
        assertThatThrownBy(() -> store.watch("/p/", 0, new Recorder())).isInstanceOf(StoreException.class);
        store.close(); // twice is harmless
    }

    // ---- leases

    /** A short TTL: above every store's minimum, and short enough for a test to wait out. */
    static final Duration TTL = Duration.ofMillis(300);

    @Test
    void aLeaseGrantAnswersTheIdAndATtlOfAtLeastTheOneAskedForAndAnIdInUseFails() {
        Lease lease = store.leaseGrant(0, TTL);
        Lease chosen = store.leaseGrant(4242, Duration.ofSeconds(30));

        assertThat(lease.id()).isPositive();
        assertThat(lease.grantedTtl()).isGreaterThanOrEqualTo(TTL);
        assertThat(chosen.id()).isEqualTo(4242);
        assertThat(chosen.grantedTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(store.leaseGrant(0, Duration.ZERO).grantedTtl()).as("the store's minimum").isPositive();
        assertThatThrownBy(() -> store.leaseGrant(4242, TTL)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_EXISTS));
        assertThat(store.leaseTimeToLive(4242).grantedTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anExpiredLeaseDeletesItsKeysInOneRevisionAndIsGone() {
        long lease = store.leaseGrant(TTL);
        store.put("/l/a", bytes("1"), lease);
        store.put("/l/b", bytes("1"), lease);
        store.put("/l/c", bytes("1"));
        Recorder rec = new Recorder();
        store.watch("/l/", 0, rec);

        eventually().until(() -> store.leaseTimeToLive(lease) == null);

        assertThat(store.get("/l/a", 0)).isNull();
        assertThat(store.get("/l/b", 0)).isNull();
        assertThat(store.get("/l/c", 0)).isNotNull();
        eventually().until(() -> rec.events().size() == 2);
        assertThat(rec.batches).hasSize(1);
        assertThat(rec.events()).extracting(e -> e.type() + " " + e.kv().key() + "@" + e.revision())
                .containsExactly("DELETE /l/a@4", "DELETE /l/b@4");
        assertThat(rec.events()).allSatisfy(e -> assertThat(e.prevKv().value()).isEqualTo(bytes("1")));
        assertThatThrownBy(() -> store.leaseKeepAlive(lease)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_NOT_FOUND));
    }

    @Test
    void keepAlivesKeepALeaseAndItsKeysPastItsTtlAndItExpiresOnceThemStop() {
        Lease lease = store.leaseGrant(0, TTL);
        store.put("/l/a", bytes("1"), lease.id());

        await().during(lease.grantedTtl().multipliedBy(3)).atMost(PATIENCE)
                .pollInterval(lease.grantedTtl().dividedBy(5))
                .until(() -> store.leaseKeepAlive(lease.id()).equals(lease.grantedTtl())
                        && store.get("/l/a", 0) != null);
        Lease live = store.leaseTimeToLive(lease.id());
        assertThat(live.keys()).containsExactly("/l/a");
        assertThat(live.remaining()).isPositive().isLessThanOrEqualTo(lease.grantedTtl());

        eventually().until(() -> store.get("/l/a", 0) == null);
        assertThat(store.leaseTimeToLive(lease.id())).isNull();
    }

    @Test
    void aRevokedLeaseDeletesItsKeysAtOnceInOneRevision() {
        long lease = store.leaseGrant(Duration.ofSeconds(60));
        store.put("/l/a", bytes("1"), lease);
        store.txn(new Txn(List.of(), List.of(TxnOp.put("/l/b", bytes("1"), lease), TxnOp.put("/l/c", bytes("1"))),
                List.of()));
        Recorder rec = new Recorder();
        store.watch("/l/", 0, rec);

        store.leaseRevoke(lease);

        assertThat(store.revision()).isEqualTo(3);
        assertThat(store.range("/l/", null, 0, 0).kvs()).extracting(KeyValue::key).containsExactly("/l/c");
        assertThat(store.leaseTimeToLive(lease)).isNull();
        eventually().until(() -> rec.events().size() == 2);
        assertThat(rec.revisions()).containsExactly(3L);
        assertThatThrownBy(() -> store.leaseRevoke(lease)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_NOT_FOUND));
    }

    @Test
    void aPutToAnUnknownLeaseFailsAndWritesNothing() {
        store.put("/l/x", bytes("1"));

        assertThatThrownBy(() -> store.put("/l/a", bytes("1"), 12345)).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_NOT_FOUND);
                    assertThat(e).hasMessage("etcdserver: requested lease not found");
                });
        assertThat(store.get("/l/a", 0)).isNull();
        assertThat(store.revision()).isEqualTo(1);
        assertThatThrownBy(() -> store.leaseKeepAlive(12345)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_NOT_FOUND));
        assertThat(store.leaseTimeToLive(12345)).isNull();
    }

    @Test
    void aKeyPutAgainWithoutTheLeaseOutlivesIt() {
        long lease = store.leaseGrant(TTL);
        store.put("/l/a", bytes("1"), lease);
        store.put("/l/b", bytes("1"), lease);
        store.put("/l/a", bytes("2"));

        eventually().until(() -> store.leaseTimeToLive(lease) == null);

        assertThat(store.get("/l/b", 0)).isNull();
        assertThat(store.get("/l/a", 0).value()).isEqualTo(bytes("2"));
    }

    // ---- helpers

    static ConditionFactory eventually() {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5));
    }

    private boolean storeThreads() {
        String prefix = "drydock-" + cluster + "-store";
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long r = from; r <= to; r++) {
            out.add(r);
        }
        return out;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("start latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records what a watch hears, batch by batch. */
    static final class Recorder implements WatchListener {
        final List<List<WatchEvent>> batches = new CopyOnWriteArrayList<>();
        final CompletableFuture<StoreException> closed = new CompletableFuture<>();
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final List<Long> progress = new CopyOnWriteArrayList<>();
        final List<String> order = new CopyOnWriteArrayList<>();

        @Override
        public void onEvents(List<WatchEvent> events) {
            thread.set(Thread.currentThread());
            batches.add(List.copyOf(events));
            order.add("events");
        }

        @Override
        public void onProgress(long revision) {
            progress.add(revision);
            order.add("progress");
        }

        @Override
        public void onClose(StoreException cause) {
            closed.complete(cause);
        }

        List<WatchEvent> events() {
            return batches.stream().flatMap(List::stream).toList();
        }

        /** The distinct revisions seen, in the order seen (one per batch). */
        List<Long> revisions() {
            return batches.stream().map(b -> b.get(0).revision()).toList();
        }

        long lastRevision() {
            List<Long> r = revisions();
            return r.isEmpty() ? 0 : r.get(r.size() - 1);
        }

        boolean batchesHaveOneRevisionEach() {
            return batches.stream().allMatch(b -> b.stream().map(WatchEvent::revision).distinct().count() == 1);
        }

        /** The key/value map that replaying the events from revision 1 builds. */
        Map<String, String> replayedState() {
            Map<String, String> m = new HashMap<>();
            for (WatchEvent e : events()) {
                if (e.type() == WatchEvent.Type.PUT) {
                    m.put(e.kv().key(), new String(e.kv().value(), StandardCharsets.UTF_8));
                } else {
                    m.remove(e.kv().key());
                }
            }
            return m;
        }
    }
}
