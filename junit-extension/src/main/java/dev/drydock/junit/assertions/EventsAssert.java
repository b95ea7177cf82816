package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Assertions on the cluster's Events ({@code core/v1}), listed through its API each time they check: those of one
 * namespace, or those about one object after {@link #about(String, String)}.
 *
 * <pre>{@code
 * assertThat(cluster).events().about("Pod", "big").eventually().containsReason("FailedScheduling");
 * assertThat(cluster).events().about("Node", "node-2").eventually().contains("NodeNotReady", "NodeNotReady");
 * }</pre>
 */
public final class EventsAssert extends AbstractKubeAssert<EventsAssert> {

    private final String namespace;
    private final String kind;
    private final String name;

    EventsAssert(DrydockCluster cluster, Duration wait, String namespace, String kind, String name) {
        super(cluster, wait);
        this.namespace = namespace;
        this.kind = kind;
        this.name = name;
    }

    /**
     * Narrows the assertions to the events about one object ({@code involvedObject}), in whichever namespace kube
     * records them: a namespaced object's in this assertion's namespace, a cluster-scoped one's (a Node) wherever.
     *
     * @param kind the object's kind, e.g. {@code Pod}, {@code Deployment}, {@code Node}
     * @param name the object's name
     * @return a new assertion on those events, waiting as this one does
     */
    public EventsAssert about(String kind, String name) {
        EventsAssert narrowed = new EventsAssert(cluster, null, namespace, Objects.requireNonNull(kind, "kind"),
                Objects.requireNonNull(name, "name"));
        return waiting() == null ? narrowed : narrowed.within(waiting());
    }

    /**
     * Asserts that there is an event with this reason (e.g. {@code FailedScheduling}, {@code Killing}).
     *
     * @param reason the event's {@code reason}, exactly
     * @return this assertion, for chaining
     */
    public EventsAssert containsReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        return expect("one with reason " + reason, e -> reason.equals(e.path("reason").asText()), true);
    }

    /**
     * Asserts that there is an event whose message contains {@code text}.
     *
     * @param text part of the event's {@code message}
     * @return this assertion, for chaining
     */
    public EventsAssert containsMessage(String text) {
        Objects.requireNonNull(text, "text");
        return expect("one whose message contains \"" + text + "\"", e -> e.path("message").asText().contains(text),
                true);
    }

    /**
     * Asserts that there is an event with this reason whose message contains {@code text}.
     *
     * @param reason the event's {@code reason}, exactly
     * @param text   part of the event's {@code message}
     * @return this assertion, for chaining
     */
    public EventsAssert contains(String reason, String text) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(text, "text");
        return expect("one with reason " + reason + " whose message contains \"" + text + "\"",
                e -> reason.equals(e.path("reason").asText()) && e.path("message").asText().contains(text), true);
    }

    /**
     * Asserts that there is no event with this reason.
     *
     * @param reason the event's {@code reason}, exactly
     * @return this assertion, for chaining
     */
    public EventsAssert doesNotContainReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        return expect("none with reason " + reason, e -> reason.equals(e.path("reason").asText()), false);
    }

    private EventsAssert expect(String what, Predicate<JsonNode> match, boolean present) {
        return check(() -> {
            List<ObjectNode> events = list();
            if (events.stream().anyMatch(match) != present) {
                throw new AssertionError(subject() + ": expected " + what + ", but saw"
                        + (events.isEmpty() ? " none" : events.stream().map(Reads::event)
                        .collect(Collectors.joining("\n  ", "\n  ", ""))));
            }
        });
    }

    private List<ObjectNode> list() {
        if (kind == null) {
            return Reads.items(cluster, Resource.EVENTS, namespace, null);
        }
        // A cluster-scoped object's events have no involvedObject.namespace and live in whichever namespace the
        // recorder chose ("default" in kube): search them all.
        return Reads.items(cluster, Resource.EVENTS, null, null).stream().filter(e -> {
            JsonNode o = e.path("involvedObject");
            String ns = o.path("namespace").asText("");
            return kind.equals(o.path("kind").asText()) && name.equals(o.path("name").asText())
                    && (ns.isEmpty() || ns.equals(namespace));
        }).collect(Collectors.toList());
    }

    private String subject() {
        return kind == null ? "events in " + namespace : "events about " + kind + " " + name;
    }
}
