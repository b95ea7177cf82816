package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiErrors;
import dev.drydock.chaos.Timeline;
import dev.drydock.chaos.TimelineHtml;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a cluster looked like and what happened to it, as a failing test leaves it behind: a text report (the header
 * the caller gives, e.g. the seed and how to rerun, then nodes, pods, events, the recent API errors and the whole
 * timeline) and a self-contained HTML timeline ({@link TimelineHtml}). It lives here rather than in the JUnit
 * extension so that anything running a cluster (a launcher, another test framework) can write one.
 *
 * <pre>{@code
 * ClusterReport.Written files = ClusterReport.of(cluster, "WebTest#survivesACrash", List.of("seed 42"))
 *         .write(Path.of("target/drydock-reports"), "WebTest.survivesACrash");
 * }</pre>
 *
 * <p>The state is read when the report is made, through the API server directly: no fault of the network or the
 * API keeps the report from it. A part that cannot be read says why in its place.
 */
public final class ClusterReport {

    /** The files a report was written to. */
    public record Written(Path text, Path html) {
    }

    private final String title;
    private final List<String> header;
    private final List<Timeline.Entry> entries;
    private final long dropped;
    private final Instant at;
    private final String state;
    private final List<ApiErrors.ApiError> apiErrors;
    private final long apiErrorsTotal;

    private ClusterReport(DrydockCluster cluster, String title, List<String> header) {
        this.title = title;
        this.header = List.copyOf(header);
        Timeline timeline = cluster.timeline();
        this.entries = timeline.entries();
        this.dropped = timeline.dropped();
        this.at = cluster.clock().now();
        this.state = state(cluster.observer());
        this.apiErrors = cluster.recentApiErrors();
        this.apiErrorsTotal = cluster.apiErrorCount();
    }

    /** The report of {@code cluster} now, under {@code title}, with {@code header} lines first. */
    public static ClusterReport of(DrydockCluster cluster, String title, List<String> header) {
        return new ClusterReport(cluster, title, header);
    }

    /** The timeline's entries in the report. */
    public List<Timeline.Entry> entries() {
        return entries;
    }

    /** The full text report. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(title).append('\n');
        header.forEach(h -> s.append(h).append('\n'));
        s.append("reported at ").append(at).append(" (cluster clock)\n\n").append(state);
        s.append("recent API errors (").append(apiErrors.size()).append(" of ").append(apiErrorsTotal)
                .append(" error responses):\n");
        apiErrors.forEach(e -> s.append("  ").append(e).append('\n'));
        s.append("\ntimeline (").append(entries.size()).append(" entries")
                .append(dropped > 0 ? ", " + dropped + " older dropped" : "").append("):\n");
        entries.forEach(e -> s.append("  ").append(e).append('\n'));
        return s.toString();
    }

    /** The self-contained HTML timeline. */
    public String html() {
        return TimelineHtml.render(title, header, entries, dropped, at);
    }

    /**
     * Writes {@code <name>.txt} and {@code <name>.html} into {@code dir} (made if missing), replacing earlier ones.
     *
     * @throws IOException if they could not be written
     */
    public Written write(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path text = dir.resolve(name + ".txt");
        Path html = dir.resolve(name + ".html");
        Files.writeString(text, text(), StandardCharsets.UTF_8);
        Files.writeString(html, html(), StandardCharsets.UTF_8);
        return new Written(text, html);
    }

    /** Nodes with their conditions, pods, and every event. */
    private static String state(KubeClient client) {
        StringBuilder s = new StringBuilder();
        section(s, "nodes", () -> {
            StringBuilder n = new StringBuilder();
            for (ObjectNode node : client.items(Resource.NODES, null, null)) {
                n.append("  ").append(Json.name(node)).append("  ").append(TimelineRecorder.nodeState(node));
                for (JsonNode c : node.path("status").path("conditions")) {
                    n.append("  ").append(c.path("type").asText()).append('=').append(c.path("status").asText());
                }
                n.append('\n');
            }
            return n;
        });
        section(s, "pods", () -> {
            StringBuilder p = new StringBuilder();
            for (ObjectNode pod : client.items(Resource.PODS, null, null)) {
                p.append("  ").append(Json.key(pod)).append("  ").append(TimelineRecorder.podState(pod))
                        .append("  node=").append(Json.text(pod, "spec", "nodeName"));
                String reason = Json.text(pod, "status", "reason");
                if (reason != null && !reason.isEmpty()) {
                    p.append("  reason=").append(reason);
                }
                p.append('\n');
            }
            return p;
        });
        section(s, "events", () -> {
            List<ObjectNode> events = new ArrayList<>(client.items(Resource.EVENTS, null, null));
            events.sort(Comparator.comparing(e -> e.path("lastTimestamp").asText("")));
            StringBuilder e = new StringBuilder();
            for (ObjectNode ev : events) {
                e.append("  ").append(ev.path("lastTimestamp").asText()).append("  ").append(ev.path("type").asText())
                        .append("  ").append(ev.path("reason").asText()).append("  ")
                        .append(ev.path("involvedObject").path("kind").asText()).append('/')
                        .append(ev.path("involvedObject").path("namespace").asText(""))
                        .append(ev.path("involvedObject").path("namespace").asText("").isEmpty() ? "" : "/")
                        .append(ev.path("involvedObject").path("name").asText()).append("  ")
                        .append(ev.path("message").asText());
                int count = ev.path("count").asInt(1);
                e.append(count > 1 ? "  (x" + count + ")" : "").append('\n');
            }
            return e;
        });
        return s.toString();
    }

    private static void section(StringBuilder s, String name, java.util.function.Supplier<CharSequence> body) {
        s.append(name).append(":\n");
        try {
            s.append(body.get());
        } catch (RuntimeException e) { // a store without quorum, a closed cluster: the report says so, and goes on
            s.append("  (").append(name).append(" unavailable: ").append(e).append(")\n");
        }
        s.append('\n');
    }
}
