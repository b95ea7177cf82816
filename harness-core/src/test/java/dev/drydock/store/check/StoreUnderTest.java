package dev.drydock.store.check;

import dev.drydock.store.Store;
import java.util.function.Supplier;

/**
 * What the workload tests: a store (for a replicated one, the handle clients use; {@link #client} lets each client
 * reach it through a replica of its own), the {@link Nemesis} that injects its faults, and how to read its errors.
 *
 * <p>A Raft-replicated store plugs in as, for example:
 * <pre>{@code
 * StoreUnderTest sut = new StoreUnderTest() {
 *     final Network network = new Network();
 *     final ReplicatedStore store = new ReplicatedStore("check", settings, network, Clock.SYSTEM, seed);
 *     final RaftNemesis nemesis = new RaftNemesis(store, network);
 *     public Store store() { return store; }
 *     public Nemesis nemesis() { return nemesis; }   // the same one each time
 *     public void close() { store.close(); }
 * };
 * CheckReport report = new Workload(config).run(sut);
 * }</pre>
 */
public interface StoreUnderTest extends AutoCloseable {

    /** The store clients and watchers use. */
    Store store();

    /** The store client {@code client} uses (by default the same for all). */
    default Store client(int client) {
        return store();
    }

    /** The faults to inject while the clients run. */
    default Nemesis nemesis() {
        return Nemesis.NONE;
    }

    /**
     * Whether a write that threw {@code e} certainly had no effect (e.g. refused before it was proposed). By default
     * no error proves that: a write that fails is of unknown outcome, as a timed-out etcd request is.
     */
    default boolean definitelyNotApplied(RuntimeException e) {
        return false;
    }

    /** Closes the store (and everything the nemesis started). */
    @Override
    void close();

    /** A store with no nemesis, closed by {@link Store#close()}. */
    static StoreUnderTest of(Supplier<? extends Store> stores) {
        Store store = stores.get();
        return new StoreUnderTest() {
            @Override
            public Store store() {
                return store;
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
