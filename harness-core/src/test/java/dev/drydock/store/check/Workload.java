package dev.drydock.store.check;

import static org.awaitility.Awaitility.await;

import dev.drydock.store.Compare;
import dev.drydock.store.KeyValue;
import dev.drydock.store.RangeResult;
import dev.drydock.store.Store;
import dev.drydock.store.StoreException;
import dev.drydock.store.Txn;
import dev.drydock.store.TxnOp;
import dev.drydock.store.TxnResult;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A seeded randomized workload against a {@link StoreUnderTest}: {@code clients} threads doing puts, CAS
 * transactions, deletes, gets and range reads over a few keys (so that they conflict), {@code watchers} watches of
 * the keys' prefix (some replaying from revision 1, some from the present, each reopened from its last revision when
 * it ends), and the store's {@link Nemesis} on its own schedule; then the faults are healed, a final read taken, the
 * watches brought up to date, and the history checked ({@link LinearizabilityChecker}, {@link HistoryChecks}).
 *
 * <p>Every client's choices come from the seed, so a failing seed replays the same requests (their interleaving
 * is the scheduler's). Bounded: each client stops after {@code opsPerClient} operations or {@code maxDuration};
 * waits at the end are bounded by {@code settleTimeout}. Clients may also compact the store now and then. Every
 * thread it starts is named {@code drydock-check-...}
 * and has ended when {@link #run} returns.
 */
public final class Workload {

    /** The workload's settings; {@link #defaults(long)} fits a unit test run of a few seconds at most. */
    public record Config(long seed, int clients, int opsPerClient, Duration maxDuration, int keys, int watchers,
            Duration nemesisInterval, int compactEvery, int keepRevisions, Duration settleTimeout,
            LinearizabilityChecker checker, boolean settleUnknownWrites) {

        public static Config defaults(long seed) {
            return new Config(seed, 4, 400, Duration.ofSeconds(5), 4, 3, Duration.ofMillis(20), 0, 50,
                    Duration.ofSeconds(10), new LinearizabilityChecker(), true);
        }

        public Config withClients(int clients, int opsPerClient) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }

        public Config withMaxDuration(Duration maxDuration) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }

        public Config withKeys(int keys) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }

        public Config withWatchers(int watchers) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }

        public Config withNemesisInterval(Duration nemesisInterval) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }

        /**
         * Has each client, after one in {@code everyOps} of its operations (at random, from the seed), compact the
         * store to {@code keepRevisions} below its current revision; {@code everyOps} 0: never.
         */
        public Config withCompaction(int everyOps, int keepRevisions) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval, everyOps,
                    keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }

        /**
         * Whether writes of unknown outcome are settled from the watches before the linearizability search (see
         * {@link UnknownWrites}); on by default, as it keeps the search fast under many timeouts.
         */
        public Config withSettledUnknownWrites(boolean settle) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settle);
        }

        public Config withChecker(LinearizabilityChecker checker) {
            return new Config(seed, clients, opsPerClient, maxDuration, keys, watchers, nemesisInterval,
                    compactEvery, keepRevisions, settleTimeout, checker, settleUnknownWrites);
        }
    }

    static final String PREFIX = "/check/";
    private static final String THREAD = "drydock-check-";

    private final Config config;
    private final History history = new History();
    private final List<String> keys = new ArrayList<>();
    private final List<Violation> harness = new CopyOnWriteArrayList<>();

    public Workload(Config config) {
        this.config = config;
        for (int i = 0; i < config.keys(); i++) {
            keys.add(PREFIX + "k" + i);
        }
    }

    /** The history recorded (complete once {@link #run} returned). */
    public History history() {
        return history;
    }

    /** Runs the workload against {@code sut} (which the caller closes) and checks what it recorded. */
    public CheckReport run(StoreUnderTest sut) {
        long started = System.nanoTime();
        Random seeds = new Random(config.seed());
        WatcherSupervisor watchers = new WatcherSupervisor(sut.store());
        for (int i = 0; i < config.watchers(); i++) {
            long from = i % 2 == 0 ? 1 : sut.store().revision() + 1;
            watchers.add(new Watcher(new WatchLog(i, PREFIX)), from);
        }
        watchers.start();

        long deadline = System.nanoTime() + config.maxDuration().toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < config.clients(); c++) {
            int id = c;
            Random random = new Random(seeds.nextLong());
            Store store = sut.client(c);
            clients.add(thread("client-" + c, () -> client(id, random, store, sut, deadline)));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Random nemesisRandom = new Random(seeds.nextLong());
        Thread nemesis = thread("nemesis", () -> nemesis(sut, nemesisRandom, stop));
        clients.forEach(Thread::start);
        nemesis.start();

        long grace = config.maxDuration().plus(config.settleTimeout()).toMillis();
        for (Thread t : clients) {
            join(t, grace);
        }
        stop.countDown();
        join(nemesis, config.settleTimeout().toMillis());
        try {
            String healed = sut.nemesis().healAll();
            if (healed != null) {
                history.nemesis(healed);
            }
        } catch (RuntimeException e) {
            harness.add(new Violation("liveness", "the nemesis could not heal the store: " + e.getMessage()));
        }
        Op finalRead = finalRead(sut.store());
        long finalRevision = finalRead != null ? ((Result.Range) finalRead.result()).revision() : 0;
        watchers.catchUp(finalRevision);
        watchers.stop();
        long runMillis = (System.nanoTime() - started) / 1_000_000;

        long checking = System.nanoTime();
        List<Op> ops = history.ops();
        List<Violation> violations = new ArrayList<>(harness);
        List<WatchLog> logs = watchers.logs();
        UnknownWrites.Settled settled = config.settleUnknownWrites() ? UnknownWrites.settle(ops, logs, finalRevision)
                : new UnknownWrites.Settled(ops, 0, 0, (int) ops.stream()
                        .filter(o -> o.outcome() == Op.Outcome.INFO && o.call().writes()).count());
        LinearizabilityChecker.Report lin = config.checker().check(settled.ops());
        violations.addAll(HistoryChecks.revisions(ops));
        violations.addAll(HistoryChecks.noLostWrites(ops, finalRead));
        violations.addAll(HistoryChecks.watches(ops, logs));
        long checkMillis = (System.nanoTime() - checking) / 1_000_000;

        int ok = (int) ops.stream().filter(o -> o.outcome() == Op.Outcome.OK).count();
        int failed = (int) ops.stream().filter(o -> o.outcome() == Op.Outcome.FAIL).count();
        int segments = logs.stream().mapToInt(l -> l.segments().size()).sum();
        int events = logs.stream().flatMap(l -> l.segments().stream()).mapToInt(s -> s.events().size()).sum();
        CheckReport.Stats stats = new CheckReport.Stats(ops.size(), ok, failed, ops.size() - ok - failed, segments,
                events, history.nemesisEvents().size(), runMillis, finalRevision, settled.toString());
        return new CheckReport(config, stats, lin, violations, checkMillis, history.nemesisEvents());
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, THREAD + name);
        t.setDaemon(true);
        return t;
    }

    private void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            harness.add(new Violation("liveness", t.getName() + " still runs after " + millis + " ms: a store call"
                    + " hung (a store must fail a call after a bounded wait)"));
        }
    }

    // --- clients ---

    private void client(int c, Random random, Store store, StoreUnderTest sut, long deadline) {
        Map<String, Kv> lastSeen = new HashMap<>();
        for (int n = 1; n <= config.opsPerClient() && System.nanoTime() < deadline; n++) {
            String key = keys.get(random.nextInt(keys.size()));
            int p = random.nextInt(100);
            Call call;
            if (p < 20) {
                call = new Call.Put(key, "c" + c + "-" + n);
            } else if (p < 40) {
                Kv seen = lastSeen.get(key);
                call = seen != null && random.nextInt(4) == 0
                        ? new Call.Cas(key, 0, seen.value(), "c" + c + "-" + n)
                        : new Call.Cas(key, seen == null ? 0 : seen.modRevision(), null, "c" + c + "-" + n);
            } else if (p < 48) {
                call = new Call.Delete(key);
            } else if (p < 85) {
                call = new Call.Get(key);
            } else {
                call = new Call.Range(PREFIX);
            }
            Result r = execute(c, call, store, sut);
            remember(lastSeen, call, r);
            if (config.compactEvery() > 0 && random.nextInt(config.compactEvery()) == 0) {
                compact(store);
            }
        }
    }

    private Result execute(int c, Call call, Store store, StoreUnderTest sut) {
        Op op = history.invoke(c, call);
        try {
            Result r = apply(call, store);
            history.ok(op, r);
            return r;
        } catch (StoreException e) {
            String why = e.reason() + ": " + e.getMessage();
            if (!call.writes() || sut.definitelyNotApplied(e)) {
                history.fail(op, why);
            } else {
                history.info(op, why);
            }
        } catch (RuntimeException e) {
            history.info(op, e.toString());
            harness.add(new Violation("client", "an unexpected exception (not a StoreException) from " + op + ": "
                    + e));
        }
        return null;
    }

    private static Result apply(Call call, Store store) {
        if (call instanceof Call.Put p) {
            return new Result.Put(Kv.of(store.put(p.key(), bytes(p.value()))));
        }
        if (call instanceof Call.Get g) {
            return new Result.Get(Kv.of(store.get(g.key(), 0)));
        }
        if (call instanceof Call.Range r) {
            RangeResult rr = store.range(r.key(), null, 0, 0);
            return new Result.Range(rr.kvs().stream().map(Kv::of).toList(), rr.revision());
        }
        if (call instanceof Call.Delete d) {
            TxnResult tr = store.txn(new Txn(List.of(), List.of(TxnOp.delete(d.key())), List.of()));
            return new Result.Delete(Kv.of(tr.results().get(0)), tr.revision());
        }
        Call.Cas cas = (Call.Cas) call;
        Compare compare = cas.expectValue() != null
                ? Compare.value(cas.key(), Compare.Op.EQUAL, bytes(cas.expectValue()))
                : Compare.modRevision(cas.key(), Compare.Op.EQUAL, cas.expectModRevision());
        TxnResult tr = store.txn(new Txn(List.of(compare), List.of(TxnOp.put(cas.key(), bytes(cas.value()))),
                List.of(TxnOp.get(cas.key()))));
        KeyValue kv = tr.results().get(0);
        return new Result.Cas(tr.succeeded(), Kv.of(kv), tr.revision());
    }

    private static void remember(Map<String, Kv> lastSeen, Call call, Result r) {
        if (r instanceof Result.Put p) {
            lastSeen.put(call.key(), p.kv());
        } else if (r instanceof Result.Get g) {
            lastSeen.put(call.key(), g.kv());
        } else if (r instanceof Result.Cas c) {
            lastSeen.put(call.key(), c.kv());
        } else if (r instanceof Result.Delete) {
            lastSeen.put(call.key(), null);
        } else if (r instanceof Result.Range range) {
            lastSeen.clear();
            range.kvs().forEach(kv -> lastSeen.put(kv.key(), kv));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // --- nemesis ---

    private void nemesis(StoreUnderTest sut, Random random, CountDownLatch stop) {
        long interval = config.nemesisInterval().toMillis();
        try {
            while (!stop.await(interval, TimeUnit.MILLISECONDS)) {
                try {
                    String what = sut.nemesis().step(random);
                    if (what != null) {
                        history.nemesis(what);
                    }
                } catch (StoreException e) {
                    history.nemesis("store refused: " + e.reason() + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    harness.add(new Violation("nemesis", "the nemesis failed: " + e));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void compact(Store store) {
        try {
            long to = store.revision() - config.keepRevisions();
            if (to > store.compactRevision()) {
                store.compact(to);
                history.nemesis("compacted to revision " + to);
            }
        } catch (StoreException e) {
            // A concurrent compaction got there first, or the store is unavailable: the next one will do.
            history.nemesis("compaction refused: " + e.reason() + ": " + e.getMessage());
        }
    }

    // --- final read ---

    private Op finalRead(Store store) {
        Op[] last = new Op[1];
        try {
            await().atMost(config.settleTimeout()).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        Op op = history.invoke(config.clients(), new Call.Range(PREFIX));
                        try {
                            RangeResult rr = store.range(PREFIX, null, 0, 0);
                            history.ok(op, new Result.Range(rr.kvs().stream().map(Kv::of).toList(),
                                    rr.revision()));
                            last[0] = op;
                            return true;
                        } catch (StoreException e) {
                            history.fail(op, e.reason() + ": " + e.getMessage());
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            return null; // HistoryChecks.noLostWrites reports it
        }
        return last[0];
    }

    // --- watchers ---

    /** One watcher: a log and the watch it holds now. */
    private final class Watcher {
        final WatchLog log;
        volatile Watch watch;

        Watcher(WatchLog log) {
            this.log = log;
        }

        WatchLog.Segment current() {
            List<WatchLog.Segment> s = log.segments();
            return s.isEmpty() ? null : s.get(s.size() - 1);
        }
    }

    /** Hears one segment's events; when the watch ends, asks the supervisor to open the next one. */
    private final class SegmentListener implements WatchListener {
        private final WatchLog.Segment segment;
        private final Watcher watcher;
        private final WatcherSupervisor supervisor;

        SegmentListener(WatchLog.Segment segment, Watcher watcher, WatcherSupervisor supervisor) {
            this.segment = segment;
            this.watcher = watcher;
            this.supervisor = supervisor;
        }

        @Override
        public void onEvents(List<WatchEvent> events) {
            segment.add(events.stream().map(WatchLog.Event::of).toList());
        }

        @Override
        public void onProgress(long revision) {
            segment.progress(revision);
        }

        @Override
        public void onClose(StoreException cause) {
            segment.ended(cause == null ? "closed" : cause.reason() + ": " + cause.getMessage());
            supervisor.reopen(watcher);
        }
    }

    /**
     * Opens each watcher's watches on its own thread: the first from the start revision, each next one from the last
     * covered revision + 1 (after a compaction: from the present, as a reflector relists), retrying with back-off.
     */
    private final class WatcherSupervisor {
        private final Store store;
        private final List<Watcher> all = new CopyOnWriteArrayList<>();
        private final LinkedBlockingQueue<Watcher> toReopen = new LinkedBlockingQueue<>();
        private final Thread thread = thread("watchers", this::loop);
        private volatile boolean stopping;

        WatcherSupervisor(Store store) {
            this.store = store;
        }

        void add(Watcher w, long from) {
            all.add(w);
            open(w, from);
        }

        void start() {
            thread.start();
        }

        void reopen(Watcher w) {
            if (!stopping) {
                toReopen.add(w);
            }
        }

        private boolean open(Watcher w, long from) {
            WatchLog.Segment s = w.log.open(from, history.tick());
            try {
                w.watch = store.watch(PREFIX, from, new SegmentListener(s, w, this));
                return true;
            } catch (StoreException e) {
                s.ended("could not open: " + e.reason() + ": " + e.getMessage());
                if (e.reason() == StoreException.Reason.COMPACTED) {
                    history.nemesis(w.log + " relists: revision " + from + " is compacted");
                    try {
                        return open(w, store.range(PREFIX, null, 0, 0).revision() + 1);
                    } catch (StoreException again) {
                        return false;
                    }
                }
                return false;
            }
        }

        private void loop() {
            Map<Watcher, Long> retryAt = new HashMap<>();
            Map<Watcher, Long> backoff = new HashMap<>();
            while (!stopping) {
                try {
                    Watcher w = toReopen.poll(20, TimeUnit.MILLISECONDS);
                    if (w != null) {
                        retryAt.put(w, System.nanoTime());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (Watcher w : List.copyOf(retryAt.keySet())) {
                    if (retryAt.get(w) > now || stopping) {
                        continue;
                    }
                    if (open(w, w.current().coveredTo() + 1)) {
                        retryAt.remove(w);
                        backoff.remove(w);
                    } else {
                        long b = Math.min(backoff.getOrDefault(w, 25L) * 2, 1000);
                        backoff.put(w, b);
                        retryAt.put(w, now + TimeUnit.MILLISECONDS.toNanos(b));
                    }
                }
            }
        }

        /** Waits until every watcher's open watch covers {@code revision}, asking for progress notifications. */
        void catchUp(long revision) {
            try {
                await().atMost(config.settleTimeout()).pollInterval(Duration.ofMillis(20)).until(() -> {
                    boolean all = true;
                    for (Watcher w : this.all) {
                        WatchLog.Segment s = w.current();
                        if (s.end() == null && s.coveredTo() >= revision) {
                            continue;
                        }
                        all = false;
                        if (s.end() == null) {
                            try {
                                w.watch.requestProgress();
                            } catch (StoreException e) {
                                history.nemesis(w.log + ": progress request refused: " + e.getMessage());
                            }
                        }
                    }
                    return all;
                });
            } catch (ConditionTimeoutException e) {
                for (Watcher w : all) {
                    WatchLog.Segment s = w.current();
                    if (s.end() != null || s.coveredTo() < revision) {
                        harness.add(new Violation("watch", w.log + " did not catch up to the final revision "
                                + revision + " within " + config.settleTimeout().toMillis() + " ms: its " + s));
                    }
                }
            }
        }

        void stop() {
            stopping = true;
            for (Watcher w : all) {
                Watch watch = w.watch;
                if (watch != null) {
                    watch.close();
                }
            }
            join(thread, config.settleTimeout().toMillis());
        }

        List<WatchLog> logs() {
            return all.stream().map(w -> w.log).toList();
        }
    }
}
