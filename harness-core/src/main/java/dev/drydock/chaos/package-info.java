/**
 * The fault API a test calls, and the record of what happened. Faults act on the cluster as its parts would see them
 * on a real network, never inside a component: {@link dev.drydock.chaos.ApiFaults} puts rules on the clients' way into
 * the API server (errors, latency, ended or stalled watches, stale lists, for one client identity or all), each undone
 * by the {@link dev.drydock.chaos.ApiFault} it returns; {@link dev.drydock.chaos.NetworkFaults} partitions, isolates,
 * cuts one way, slows or makes lossy the links between named {@link dev.drydock.chaos.Parties}, as rules on
 * {@code dev.drydock.net}'s links, each undone by the {@link dev.drydock.chaos.NetworkFault} it returns. Every fault and its end goes on the cluster's {@link dev.drydock.chaos.Timeline}.
 */
package dev.drydock.chaos;
