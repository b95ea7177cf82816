package dev.drydock.store;

/** The single in-process replica against the store contract. */
class MemoryStoreTest extends StoreContractTest {

    @Override
    Store newStore() {
        return new MemoryStore("drydock-" + cluster + "-store");
    }
}
