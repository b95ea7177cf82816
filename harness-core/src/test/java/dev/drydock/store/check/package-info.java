/**
 * A proof-of-correctness harness for {@link dev.drydock.store.Store} implementations: a seeded randomized workload,
 * a history of what every client asked and heard, and checkers of that history.
 *
 * <h2>What runs</h2>
 * {@link dev.drydock.store.check.Workload} starts {@code clients} threads doing puts, compare-and-swap transactions
 * (on the mod revision or the value), deletes, gets and range reads over a few keys, so that they conflict; a few
 * watchers of the keys' prefix (from revision 1 and from the present; each reopened from its last revision when its
 * watch ends, or from the present after a compaction); the store's {@link dev.drydock.store.check.Nemesis} on its
 * own schedule; optionally compactions. Each client stops after {@code opsPerClient} operations or
 * {@code maxDuration}. Then the nemesis heals, a final read is taken, the watches are brought up to the final
 * revision with progress requests, and the history is checked:
 * <ul>
 *   <li>{@link dev.drydock.store.check.LinearizabilityChecker}: every key's operations are linearizable against
 *       etcd's semantics for one key ({@code RegisterModel}), by Wing and Gong's search with memoization, key by key,
 *       bounded (an {@code UNDECIDED} verdict rather than a hang);</li>
 *   <li>{@link dev.drydock.store.check.HistoryChecks#revisions}: revisions strictly increasing across acknowledged
 *       writes in real-time order, unique, and range reads not below an acknowledged write;</li>
 *   <li>{@link dev.drydock.store.check.HistoryChecks#noLostWrites}: the final read explains every acknowledged
 *       write;</li>
 *   <li>{@link dev.drydock.store.check.HistoryChecks#watches}: every watch in revision order, no duplicate, no gap
 *       against the acknowledged writes and the other watches, every event agreeing with its write, previous
 *       versions right.</li>
 * </ul>
 * A failure names the seed, each violation, and for a key that is not linearizable the longest linearizable prefix
 * found, the key's state after it, and why each pending operation cannot come next.
 *
 * <h2>Plugging in a replicated store</h2>
 * Implement {@link dev.drydock.store.check.StoreUnderTest} (the store clients and watchers use, optionally one per
 * client, e.g. through different replicas) and a {@link dev.drydock.store.check.Nemesis} over the store's fault
 * handle, whose {@code step(random)} stops or restarts a replica, isolates the leader, partitions, loses quorum or
 * takes a snapshot, and whose {@code healAll()} heals everything:
 * <pre>{@code
 * @ParameterizedTest
 * @ValueSource(longs = {1, 2, 3, ...})
 * void theReplicatedStoreStaysCorrectUnderFaults(long seed) {
 *     try (StoreUnderTest sut = new ReplicatedStoreUnderTest(3, seed)) {      // store() + nemesis() + close()
 *         new Workload(Workload.Config.defaults(seed)
 *                 .withNemesisInterval(Duration.ofMillis(200))
 *                 .withCompaction(500, 1000)).run(sut).assertPasses();
 *     }
 * }
 * }</pre>
 * A write that fails is taken as of unknown outcome (a timeout may have committed); override
 * {@link dev.drydock.store.check.StoreUnderTest#definitelyNotApplied} for errors that prove it was not (e.g. refused
 * by a replica that is not the leader before proposing). A store call must fail after a bounded wait: a client
 * still in a call after {@code maxDuration + settleTimeout} is reported as a liveness violation.
 * {@code FaultyStore} (refusals, timeouts before and after applying, broken watches) and {@code PlantedBugs} show
 * the shape of such wrappers.
 *
 * <h2>The replicated store</h2>
 * {@code ReplicatedStoreUnderTest} plugs in {@link dev.drydock.store.ReplicatedStore} (3 or 5 replicas, a request
 * timeout of 300 ms, a snapshot every 64 writes) with {@code RaftNemesis} (stop, restart empty, isolate the leader,
 * also just after a snapshot, partition, lose quorum, slow a replica's links or disk, heal); no error of that store
 * proves a write was not applied. {@code ReplicatedStoreCheckTest} runs 20 seeds of it in every build and shows that
 * a leader acknowledging writes it never committed ({@code PlantedBugs.acknowledgeUncommitted}) is caught;
 * {@link dev.drydock.store.check.StoreSoak} runs it for longer ({@code java -jar drydock.jar bench store --soak}).
 */
package dev.drydock.store.check;
