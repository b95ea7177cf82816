package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.Timeline;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.Lines;
import dev.drydock.cluster.Invariant;
import dev.drydock.junit.DrydockExtension;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the assertions read, and how they describe it. Everything goes through the cluster's API client, as
 * {@code kubectl get} would see it, so that the same assertions can later read a real cluster. Names no type of
 * AssertJ or Awaitility: the invariants use it without them.
 */
final class Reads {

    /** How many of the timeline's last entries a failed wait shows. */
    static final int RECENT_ENTRIES = 20;

    private Reads() {
    }

    /** The namespace an assertion reads when none is named: the test's own if it has one, else {@code default}. */
    static String defaultNamespace(DrydockCluster cluster) {
        return DrydockExtension.currentNamespace(cluster).orElse("default");
    }

    /** Reads an object, or null if it does not exist; a failed read is an assertion failure saying so. */
    static ObjectNode find(DrydockCluster cluster, Resource resource, String namespace, String name) {
        return read(resource.kind().toLowerCase() + " " + Json.key(namespace, name),
                () -> cluster.client().find(resource, namespace, name));
    }

    /** Lists objects ({@code namespace} null: all); a failed read is an assertion failure saying so. */
    static List<ObjectNode> items(DrydockCluster cluster, Resource resource, String namespace, String labelSelector) {
        return read(resource.plural() + (namespace == null ? "" : " in " + namespace)
                        + (labelSelector == null ? "" : " with labels " + labelSelector),
                () -> cluster.client().items(resource, namespace, labelSelector));
    }

    private static <T> T read(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiException e) {
            // An assertion failure, so that a wait retries it (the API may be under a fault) and reports it if it lasts.
            AssertionError error = new AssertionError("could not read " + what + ": " + e.getMessage());
            error.initCause(e);
            throw error;
        }
    }

    /** A pod in a line: name, phase, Ready condition, node, and whether it is terminating. */
    static String pod(JsonNode pod) {
        return Lines.pod(pod);
    }

    /** A node in a line: name, Ready condition with its reason, unschedulable, taints. */
    static String node(JsonNode node) {
        return Lines.node(node);
    }

    /** An event in a line, as {@code kubectl get events} shows it: type, reason, object, message. */
    static String event(JsonNode e) {
        return e.path("type").asText() + " " + e.path("reason").asText() + " "
                + e.path("involvedObject").path("kind").asText() + "/" + e.path("involvedObject").path("name").asText()
                + ": " + e.path("message").asText();
    }

    /**
     * The nodes and pods (of all namespaces) as the API shows them now; for a violated invariant's report, worded as
     * the cluster's own invariants word it ({@link Invariant#state}).
     */
    static String state(DrydockCluster cluster) {
        return Invariant.state(cluster);
    }

    /** The last {@value #RECENT_ENTRIES} entries of the cluster's timeline, for a wait that ran out. */
    static String recentTimeline(DrydockCluster cluster) {
        List<Timeline.Entry> entries = cluster.timeline().entries();
        int from = Math.max(0, entries.size() - RECENT_ENTRIES);
        StringBuilder s = new StringBuilder("timeline (last ").append(entries.size() - from).append(" of ")
                .append(entries.size()).append(" entries):\n");
        entries.subList(from, entries.size()).forEach(e -> s.append("  ").append(e).append('\n'));
        return s.toString();
    }

    /** The timeline's entries from {@code before} ahead of {@code at} to {@code after} past it, {@code at} marked. */
    static String timelineAround(DrydockCluster cluster, Instant at, Duration before, Duration after) {
        return Invariant.timelineAround(cluster.timeline(), at, before, after);
    }

    /** A duration as people read it in a message: {@code 30 s}, {@code 1.5 s}, {@code 200 ms}. */
    static String seconds(Duration d) {
        return Lines.seconds(d);
    }
}
