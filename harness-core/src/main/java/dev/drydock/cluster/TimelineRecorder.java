package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Timers;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts the cluster's notable changes on its {@link Timeline}, as state changes a lane can be drawn from:
 * <ul>
 *   <li>a pod's phase and readiness ({@link Timeline#POD}, {@code pod/<ns>/<name>}: {@code Pending},
 *       {@code Running/NotReady}, {@code Running/Ready}, {@code Succeeded}, {@code Failed}, {@code Terminating},
 *       {@code Deleted});</li>
 *   <li>a node's {@code Ready} condition and cordon ({@link Timeline#NODE}, {@code node/<name>}: {@code Ready},
 *       {@code NotReady}, {@code Unknown}, with {@code ,SchedulingDisabled} as kubectl shows it);</li>
 *   <li>a Lease's holder, outside {@code kube-node-lease} whose Leases are nodes' heartbeats
 *       ({@link Timeline#LEADER}, {@code lease/<ns>/<name>}: the holder); the store's Raft leader is recorded by the
 *       store's own events ({@link StoreHandle});</li>
 *   <li>a Deployment's rollout ({@link Timeline#ROLLOUT}, {@code deployment/<ns>/<name>}): a new revision, then
 *       {@code Complete} as {@code kubectl rollout status} judges it.</li>
 * </ul>
 * It only watches: it writes nothing, so a converged cluster stays quiet, and it records a change only when the state
 * it draws changes (not on heartbeats or resyncs). Its informers read the API server directly rather than across a
 * party's link, so that no fault of the network or the API blinds the record of what the faults did.
 */
public final class TimelineRecorder implements AutoCloseable {

    static final String NODE_LEASES = "kube-node-lease";

    private final Timeline timeline;
    private final List<Informer> informers = new ArrayList<>();

    /**
     * @param client a client whose requests no fault reaches (the API server itself as its transport)
     * @param timers where the informers schedule their re-watches, on the cluster's clock
     */
    public TimelineRecorder(KubeClient client, Timers timers, Timeline timeline) {
        this.timeline = timeline;
        // pods and nodes are many and large: their informers keep only what is drawn (client-go's SetTransform)
        informers.add(informer(client, timers, Resource.PODS, Map.of(), TimelineRecorder::podState, "pod",
                this::podChanged).withTransform(TimelineRecorder::podView));
        informers.add(informer(client, timers, Resource.NODES, Map.of(), TimelineRecorder::nodeState, "node",
                this::nodeChanged).withTransform(TimelineRecorder::nodeView));
        // nodes' Leases are renewed at every heartbeat: not even delivered here
        informers.add(informer(client, timers, Resource.LEASES,
                Informer.selectors(null, "metadata.namespace!=" + NODE_LEASES), TimelineRecorder::holder, "lease",
                this::leaseChanged));
        informers.add(informer(client, timers, Resource.DEPLOYMENTS, Map.of(), TimelineRecorder::rolloutState,
                "deployment", this::rolloutChanged));
    }

    /** Starts watching; changes from now on are recorded (objects that exist now are recorded as they are). */
    public TimelineRecorder start() {
        informers.forEach(Informer::start);
        return this;
    }

    /** Stops watching. */
    @Override
    public void close() {
        informers.forEach(Informer::close);
    }

    /** Hears a change of the state drawn for an object: {@code before} null when it was added, {@code after} when gone. */
    @FunctionalInterface
    private interface Change {
        void changed(String subject, ObjectNode obj, String before, String after);
    }

    private static Informer informer(KubeClient client, Timers timers, Resource resource,
                                     Map<String, String> selectors,
                                     java.util.function.Function<ObjectNode, String> state, String prefix,
                                     Change change) {
        Informer informer = new Informer(client, resource, null, selectors, timers).withoutManagedFields();
        informer.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                report(obj, null, state.apply(obj));
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                report(newObj, state.apply(oldObj), state.apply(newObj));
            }

            @Override
            public void onDelete(ObjectNode obj) {
                report(obj, state.apply(obj), null);
            }

            private void report(ObjectNode obj, String before, String after) {
                if (!Objects.equals(before, after)) {
                    String ns = Json.namespace(obj);
                    String subject = prefix + "/" + (ns == null || ns.isEmpty() ? "" : ns + "/") + Json.name(obj);
                    change.changed(subject, obj, before, after);
                }
            }
        });
        return informer;
    }

    /**
     * An object's name, namespace, resourceVersion and deletionTimestamp, and the Ready condition of its status, as
     * a new object: the start of the views the informers of pods and nodes keep.
     */
    private static ObjectNode view(ObjectNode obj) {
        ObjectNode view = Json.object();
        ObjectNode meta = view.putObject("metadata");
        for (String field : List.of("name", "namespace", "resourceVersion", "deletionTimestamp")) {
            JsonNode value = obj.path("metadata").get(field);
            if (value != null) {
                meta.set(field, value);
            }
        }
        JsonNode ready = readyCondition(obj);
        if (ready != null) {
            view.putObject("status").putArray("conditions").add(ready.deepCopy());
        }
        return view;
    }

    /** Copies the field at {@code path} of {@code from}, if it is there, to the same path of {@code to}. */
    private static void copy(ObjectNode from, ObjectNode to, String... path) {
        JsonNode value = Json.at(from, path);
        if (value != null) {
            Json.with(to, Arrays.copyOf(path, path.length - 1)).set(path[path.length - 1], value.deepCopy());
        }
    }

    // ---- pods

    /** What the recorder reads of a pod: all that its informer keeps (a view of a view is the same view). */
    static ObjectNode podView(ObjectNode pod) {
        ObjectNode view = view(pod);
        copy(pod, view, "spec", "nodeName");
        copy(pod, view, "status", "phase");
        copy(pod, view, "status", "reason");
        return view;
    }

    static String podState(ObjectNode pod) {
        if (Json.isDeleting(pod)) {
            return "Terminating";
        }
        String phase = Json.text(pod, "status", "phase");
        if (phase == null || phase.isEmpty()) {
            return "Pending";
        }
        if (phase.equals("Running")) {
            return "True".equals(Json.condition(pod, "Ready")) ? "Running/Ready" : "Running/NotReady";
        }
        return phase;
    }

    private void podChanged(String subject, ObjectNode pod, String before, String after) {
        String node = Json.text(pod, "spec", "nodeName");
        StringBuilder detail = new StringBuilder(after == null ? "deleted" : before == null ? "created" : before
                + " -> " + after);
        if (node != null && !node.isEmpty()) {
            detail.append(" on ").append(node);
        }
        String reason = Json.text(pod, "status", "reason");
        if (reason != null && !reason.isEmpty()) {
            detail.append(" (").append(reason).append(')');
        }
        timeline.record(Timeline.POD, subject, after == null ? "Deleted" : after, detail.toString());
    }

    // ---- nodes

    static String nodeState(ObjectNode node) {
        String ready = Json.condition(node, "Ready");
        String state = "True".equals(ready) ? "Ready" : "False".equals(ready) ? "NotReady" : "Unknown";
        return node.path("spec").path("unschedulable").asBoolean(false) ? state + ",SchedulingDisabled" : state;
    }

    private void nodeChanged(String subject, ObjectNode node, String before, String after) {
        StringBuilder detail = new StringBuilder(after == null ? "deleted" : before == null ? "registered" : before
                + " -> " + after);
        JsonNode ready = readyCondition(node);
        if (after != null && ready != null && !ready.path("reason").asText("").isEmpty()) {
            detail.append(" (").append(ready.path("reason").asText());
            String message = ready.path("message").asText("");
            if (!message.isEmpty()) {
                detail.append(": ").append(message);
            }
            detail.append(')');
        }
        timeline.record(Timeline.NODE, subject, after == null ? "Deleted" : after, detail.toString());
    }

    /** What the recorder reads of a node: all that its informer keeps. */
    static ObjectNode nodeView(ObjectNode node) {
        ObjectNode view = view(node);
        copy(node, view, "spec", "unschedulable");
        return view;
    }

    private static JsonNode readyCondition(ObjectNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    // ---- leases

    /** A Lease's holder. */
    static String holder(ObjectNode lease) {
        String holder = Json.text(lease, "spec", "holderIdentity");
        return holder == null || holder.isEmpty() ? "(none)" : holder;
    }

    private void leaseChanged(String subject, ObjectNode lease, String before, String after) {
        String detail = after == null ? "deleted (held by " + before + ")" : "held by " + after
                + (before == null ? "" : " (was " + before + ")");
        timeline.record(Timeline.LEADER, subject, after == null ? "Deleted" : after, detail);
    }

    // ---- deployments

    /** The revision and whether its rollout is complete, e.g. {@code 2 Complete}; null before its first revision. */
    static String rolloutState(ObjectNode d) {
        String revision = d.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText("");
        if (revision.isEmpty()) {
            return null;
        }
        return revision + " " + (rolloutComplete(d) ? "Complete" : "Progressing");
    }

    /** As {@code kubectl rollout status} judges a Deployment: every replica updated and available. */
    static boolean rolloutComplete(ObjectNode d) {
        JsonNode status = d.path("status");
        if (status.path("observedGeneration").asLong(0) < d.path("metadata").path("generation").asLong(0)) {
            return false;
        }
        long replicas = d.path("spec").path("replicas").asLong(1);
        long updated = status.path("updatedReplicas").asLong(0);
        return updated >= replicas && status.path("replicas").asLong(0) <= updated
                && status.path("availableReplicas").asLong(0) >= updated;
    }

    private void rolloutChanged(String subject, ObjectNode d, String before, String after) {
        if (after == null) {
            if (before != null) {
                timeline.record(Timeline.ROLLOUT, subject, "Deleted", "deleted");
            }
            return;
        }
        String revision = after.substring(0, after.indexOf(' '));
        boolean complete = after.endsWith("Complete");
        boolean newRevision = before == null || !before.startsWith(revision + " ");
        String detail;
        if (newRevision) {
            detail = "rollout of revision " + revision + " started";
            String progressing = conditionMessage(d, "Progressing");
            if (!progressing.isEmpty()) {
                detail += " (" + progressing + ")";
            }
            if (complete) {
                detail += "; complete";
            }
        } else {
            detail = complete ? "rollout of revision " + revision + " complete: "
                    + d.path("status").path("availableReplicas").asLong(0) + " available"
                    : "rollout of revision " + revision + " progressing again";
        }
        timeline.record(Timeline.ROLLOUT, subject, complete ? "Complete" : "Progressing", detail);
    }

    private static String conditionMessage(ObjectNode obj, String type) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("message").asText("");
            }
        }
        return "";
    }
}
