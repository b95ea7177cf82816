package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.SerialExecutor;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler: watches pods and nodes, runs the {@link SchedulingAlgorithm} for each pending pod and binds it
 * through {@code pods/binding}. A pod that fits nowhere gets {@code PodScheduled=False} (reason
 * {@code Unschedulable}) and a {@code FailedScheduling} event, and is tried again when nodes change.
 */
public final class Scheduler implements AutoCloseable {

    private final KubeClient client;
    private final ComponentContext ctx;
    private final InformerFactory informers;
    private final Informer pods;
    private final Informer nodes;
    private final WorkQueue schedulingQueue;
    private final SchedulingAlgorithm algorithm;
    private final EventRecorder events;
    /** Nodes, what their pods request, and the pods bound by this scheduler that the informer does not show yet. */
    private final SchedulerCache cache = new SchedulerCache();
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    /** Bindings to write, by pod key, and the queue that writes them on the shared workers. */
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    private final WorkQueue bindingQueue;

    public Scheduler(KubeClient client, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.informers = new InformerFactory(client, ctx);
        this.pods = informers.informer(Resource.PODS);
        this.nodes = informers.informer(Resource.NODES);
        this.algorithm = new SchedulingAlgorithm(ctx.seed());
        this.events = new EventRecorder(client, ctx, "default-scheduler", null);
        // One pod at a time, as kube's scheduling cycle, so that each decision sees the ones before it: a serial
        // lane on the shared workers rather than a lock that would hold pool threads waiting.
        this.schedulingQueue = new WorkQueue("scheduler", new SerialExecutor(ctx.workers()), ctx,
                this::scheduleOne);
        this.bindingQueue = new WorkQueue("scheduler-binding", ctx, this::bindOne);
        pods.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                boolean needs = needsScheduling(obj);
                cache.updatePod(Json.key(obj), obj, needs);
                if (needs) {
                    schedulingQueue.add(Json.key(obj));
                }
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                onAdd(newObj);
                if (!needsScheduling(oldObj) && Json.text(oldObj, "spec", "nodeName") != null
                        && Json.text(newObj, "spec", "nodeName") == null) {
                    retryUnschedulable();
                }
            }

            @Override
            public void onDelete(ObjectNode obj) {
                cache.removePod(Json.key(obj));
                unschedulable.remove(Json.key(obj));
                if (Json.text(obj, "spec", "nodeName") != null) {
                    retryUnschedulable(); // freed resources may help a waiting pod
                }
            }
        });
        nodes.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                cache.setNode(obj);
                retryUnschedulable();
            }

            @Override
            public void onDelete(ObjectNode obj) {
                cache.removeNode(obj);
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                cache.setNode(newObj);
                if (SchedulingAlgorithm.isReady(oldObj) != SchedulingAlgorithm.isReady(newObj)
                        || !Semantic.equal(oldObj.path("spec"), newObj.path("spec"))
                        || !Semantic.equal(oldObj.path("metadata").path("labels"),
                                newObj.path("metadata").path("labels"))) {
                    retryUnschedulable();
                }
            }
        });
    }

    public void start() {
        informers.start();
    }

    @Override
    public void close() {
        schedulingQueue.shutdown();
        bindingQueue.shutdown();
        informers.close();
        events.close();
    }

    private static boolean needsScheduling(JsonNode pod) {
        String node = Json.text(pod, "spec", "nodeName");
        return (node == null || node.isEmpty()) && !Json.isDeleting(pod)
                && "default-scheduler".equals(Json.text(pod, "spec", "schedulerName"));
    }

    private void retryUnschedulable() {
        for (String key : List.copyOf(unschedulable)) {
            schedulingQueue.add(key);
        }
    }

    private void scheduleOne(String key) {
        ObjectNode pod = pods.get(key);
        if (pod == null || !needsScheduling(pod) || cache.isAssumed(key)) {
            unschedulable.remove(key);
            return;
        }
        if (!nodes.hasSynced()) {
            schedulingQueue.addAfter(key, Duration.ofMillis(50));
            return;
        }
        SchedulingAlgorithm.Result result = algorithm.schedule(pod, cache.snapshot());
        if (!result.scheduled()) {
            unschedulable.add(key);
            markUnschedulable(pod, result.message());
            return;
        }
        cache.assume(key, pod, result.node());
        unschedulable.remove(key);
        // The binding cycle runs apart from the scheduling cycle, as kube's: the next pod is scheduled while this
        // one's binding is written, against a cache in which this one already counts.
        bindings.put(key, new Binding(pod, result.node()));
        bindingQueue.add(key);
    }

    /** A pod assumed on a node, to bind. */
    private record Binding(ObjectNode pod, String node) {
    }

    /**
     * Writes a binding through {@code pods/binding}. If it fails, the pod counts nowhere again and goes back to the
     * scheduling queue (the failure is reported by the binding queue); if the pod is gone or bound already,
     * there is nothing to schedule.
     */
    private void bindOne(String key) {
        Binding b = bindings.remove(key);
        if (b == null) {
            return;
        }
        try {
            client.bind(Json.namespace(b.pod()), Json.name(b.pod()), b.node());
        } catch (ApiException e) {
            cache.forget(key);
            if (e.isNotFound() || e.isConflict()) {
                return; // deleted, or bound by someone else: nothing to schedule
            }
            schedulingQueue.add(key);
            throw e;
        } catch (RuntimeException e) {
            cache.forget(key);
            schedulingQueue.add(key);
            throw e;
        }
        events.normal(b.pod(), "Scheduled", "Successfully assigned " + key + " to " + b.node());
    }

    private void markUnschedulable(ObjectNode pod, String message) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("status").asText().equals("False")
                    && c.path("message").asText().equals(message)) {
                return; // already says so
            }
        }
        ObjectNode updated = pod.deepCopy();
        ArrayNode conditions = Json.withArray(Json.with(updated, "status"), "conditions");
        Conditions.set(conditions, "PodScheduled", "False", "Unschedulable", message, Conditions.PROBE,
                ctx.clock().now());
        try {
            client.updateStatus(Resource.PODS, updated);
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
        events.warning(pod, "FailedScheduling", message);
    }
}
