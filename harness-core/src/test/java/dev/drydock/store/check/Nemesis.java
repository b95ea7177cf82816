package dev.drydock.store.check;

import java.util.Random;

/**
 * Injects and heals faults in a store under test, on the workload's schedule. For a replicated store: stop and
 * restart a replica, isolate the leader, partition the replicas, lose quorum, slow a link, take a snapshot.
 * {@link #step} runs on the workload's nemesis thread, concurrently with the clients; every action it reports is
 * recorded in the history, so a failure's explanation can be read against the faults of its time.
 */
public interface Nemesis {

    /** Does nothing: for a store with no faults to inject. */
    Nemesis NONE = new Nemesis() {
        @Override
        public String step(Random random) {
            return null;
        }

        @Override
        public String healAll() {
            return null;
        }
    };

    /**
     * Injects or heals one fault, chosen with {@code random} (the run's seed feeds it).
     *
     * @return what it did, for the history; {@code null} if nothing
     */
    String step(Random random);

    /**
     * Heals every fault, so that the final read and the watches can catch up; called once the clients are done.
     *
     * @return what it did, for the history; {@code null} if nothing
     */
    String healAll();
}
