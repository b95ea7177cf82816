package dev.drydock.runtime;

import dev.drydock.base.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a runtime knows of the node it serves.
 *
 * @param cluster the cluster's name (runtimes label what they create with it)
 * @param node    the node's name
 * @param podCidr the node's pod network, e.g. {@code 10.244.1.0/24}: pod IPs come from it
 * @param clock   the cluster's clock
 * @param timer   the cluster's timer: it only tells the time, work it triggers goes to {@code workers}
 * @param workers the cluster's shared workers, on which a runtime runs what its containers do (never a thread of
 *                its own per container or stream)
 * @param images  the registry the cluster's nodes pull from, as the test shaped it (missing and slow images, what
 *                unknown images do)
 * @param http    the cluster's network as this node's pods call it ({@link ClusterHttp#inNamespace} for a pod's
 *                namespace)
 */
public record NodeContext(String cluster, String node, String podCidr, Clock clock, ScheduledExecutorService timer,
                          Executor workers, ImageRegistry images, ClusterHttp http) {

    /** A node of a cluster whose pods reach no network. */
    public NodeContext(String cluster, String node, String podCidr, Clock clock, ScheduledExecutorService timer,
                       Executor workers, ImageRegistry images) {
        this(cluster, node, podCidr, clock, timer, workers, images, ClusterHttp.UNAVAILABLE);
    }

    /** A node of a cluster whose registry has every image a runtime knows, unknown ones as sleepers. */
    public NodeContext(String cluster, String node, String podCidr, Clock clock, ScheduledExecutorService timer,
                       Executor workers) {
        this(cluster, node, podCidr, clock, timer, workers, new ImageRegistry());
    }
}
