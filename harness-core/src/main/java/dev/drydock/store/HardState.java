package dev.drydock.store;

import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.persistence.RaftEndpointPersistentState;
import io.microraft.model.persistence.RaftTermPersistentState;
import io.microraft.persistence.RaftStore;
import io.microraft.persistence.RestoredRaftState;
import java.util.List;

/**
 * What one replica keeps across a restart: its identity, the group's initial members, and its term and vote (Raft's
 * hard state, so that a restarted replica never votes twice in one term). Its log and snapshots are not kept: a
 * restarted replica comes back empty and catches up from the leader, by a snapshot once the leader's log was
 * truncated, as an etcd member whose data directory was lost.
 */
final class HardState implements RaftStore {

    private volatile RaftEndpointPersistentState endpoint;
    private volatile RaftGroupMembersView members;
    private volatile RaftTermPersistentState term;

    @Override
    public void persistAndFlushLocalEndpoint(RaftEndpointPersistentState state) {
        endpoint = state;
    }

    @Override
    public void persistAndFlushInitialGroupMembers(RaftGroupMembersView view) {
        members = view;
    }

    @Override
    public void persistAndFlushTerm(RaftTermPersistentState state) {
        term = state;
    }

    @Override
    public void persistLogEntries(List<LogEntry> entries) {
    }

    @Override
    public void persistSnapshotChunk(SnapshotChunk chunk) {
    }

    @Override
    public void truncateLogEntriesFrom(long index) {
    }

    @Override
    public void truncateLogEntriesUntil(long index) {
    }

    @Override
    public void deleteSnapshotChunks(long index, int count) {
    }

    @Override
    public void flush() {
    }

    /** The state to restart from, or null if the replica never persisted one (then it starts as new). */
    RestoredRaftState restored() {
        if (endpoint == null || members == null || term == null) {
            return null;
        }
        return new RestoredRaftState(endpoint, members, term, null, List.of());
    }
}
