package dev.drydock.store;

import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import dev.drydock.net.Network;

/** Three Raft replicas against the store contract. */
class ReplicatedStoreContractTest extends StoreContractTest {

    @Override
    Store newStore() {
        return new ReplicatedStore(cluster, ReplicatedStore.Settings.of(3, Timings.compressed()), new Network(),
                Clock.SYSTEM, 42);
    }
}
