package dev.drydock.store.check;

import dev.drydock.base.Clock;
import dev.drydock.net.Network;
import dev.drydock.store.ReplicatedStore;
import dev.drydock.store.Store;
import java.time.Duration;
import java.util.function.Function;

/**
 * The Raft-replicated store under the workload: {@code replicas} replicas on a network of their own, with a short
 * request timeout (so that a write during a fault fails fast, of unknown outcome) and a snapshot every
 * {@code snapshotCount} writes (so that replicas truncate their logs and catch up from snapshots during the run),
 * broken by a {@link RaftNemesis}.
 *
 * <p>No error of the replicated store proves that a write was not applied: {@code UNAVAILABLE} comes after the
 * request timeout, when an attempt may have reached a leader's log and commit later (as etcd's "request timed out"),
 * and {@code CLOSED} may interrupt a retry after an earlier attempt was proposed. So every failed write is of unknown
 * outcome ({@link StoreUnderTest#definitelyNotApplied} keeps its default).
 */
final class ReplicatedStoreUnderTest implements StoreUnderTest {

    /** The store's settings for a check: compressed timings with a short request timeout, frequent snapshots. */
    static ReplicatedStore.Settings settings(int replicas, int snapshotCount) {
        return new ReplicatedStore.Settings(replicas, Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(300), snapshotCount);
    }

    private final Network network = new Network();
    private final ReplicatedStore store;
    private final Store clients;
    private final RaftNemesis nemesis;

    ReplicatedStoreUnderTest(int replicas, long seed) {
        this(settings(replicas, 64), seed, s -> s);
    }

    /**
     * @param wrap what clients and watchers see of the store (the store itself, or a planted bug in front of it)
     */
    ReplicatedStoreUnderTest(ReplicatedStore.Settings settings, long seed, Function<ReplicatedStore, Store> wrap) {
        this(settings, seed, wrap, false);
    }

    /**
     * @param leaderChangesOnly whether the nemesis only isolates the leader until another leads
     *     ({@link RaftNemesis#RaftNemesis(ReplicatedStore, Network, boolean)})
     */
    ReplicatedStoreUnderTest(ReplicatedStore.Settings settings, long seed, Function<ReplicatedStore, Store> wrap,
            boolean leaderChangesOnly) {
        this.store = new ReplicatedStore("check-raft-" + seed, settings, network, Clock.SYSTEM, seed);
        this.clients = wrap.apply(store);
        this.nemesis = new RaftNemesis(store, network, leaderChangesOnly);
    }

    /** The store itself (not what clients see), for the test's own looks. */
    ReplicatedStore replicated() {
        return store;
    }

    @Override
    public Store store() {
        return clients;
    }

    @Override
    public RaftNemesis nemesis() {
        return nemesis;
    }

    @Override
    public void close() {
        store.close();
    }
}
