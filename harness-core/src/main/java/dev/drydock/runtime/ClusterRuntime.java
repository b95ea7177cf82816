package dev.drydock.runtime;

/**
 * A runtime's share of one cluster: made once when the cluster boots, before its first node, and closed when the
 * cluster closes, after its last node. A runtime that holds something for the whole cluster keeps it here (Docker: its
 * engine connection, the cluster's network, and what the cluster started, to be removed at the end).
 */
public interface ClusterRuntime extends AutoCloseable {

    /** A runtime for one node of this cluster; called again for each boot of the node. */
    ContainerRuntime node(NodeContext node);

    /** Frees what the cluster holds: called once, after every node's runtime was closed. */
    @Override
    void close();
}
