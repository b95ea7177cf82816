package dev.drydock.runtime;

/**
 * A runtime's share of one cluster: made once when the cluster boots, before its first node, and closed when the
 * cluster closes, after its last node. A runtime that holds something for the whole cluster keeps it here (Docker: its
 * engine connection, the cluster's network, and what the cluster started, to be removed at the end).
 */
public interface ClusterRuntime extends AutoCloseable {

    /** A runtime for one node of this cluster; called again for each boot of the node. */
    ContainerRuntime node(NodeContext node);

    /**
     * The links between the cluster's nodes changed (a partition, an isolation, a heal): {@code reachable} tells
     * whether a packet from a node's pods reaches another node's pods now. A runtime whose pods talk over a real
     * network (Docker) makes it so; one whose traffic crosses drydock's own network model needs nothing. Called on
     * the thread that changed the links: it returns quickly, doing any slow work elsewhere. By default nothing.
     */
    default void linksChanged(java.util.function.BiPredicate<String, String> reachable) {
    }

    /** Frees what the cluster holds: called once, after every node's runtime was closed. */
    @Override
    void close();
}
