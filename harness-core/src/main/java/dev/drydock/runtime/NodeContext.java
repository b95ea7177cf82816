package dev.drydock.runtime;

import dev.drydock.base.Clock;

/**
 * What a runtime knows of the node it serves.
 *
 * @param cluster the cluster's name (runtimes label what they create with it)
 * @param node    the node's name
 * @param podCidr the node's pod network, e.g. {@code 10.244.1.0/24}: pod IPs come from it
 * @param clock   the cluster's clock
 */
public record NodeContext(String cluster, String node, String podCidr, Clock clock) {
}
