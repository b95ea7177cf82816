package dev.drydock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Seeds;
import dev.drydock.base.Timers;
import dev.drydock.base.Workers;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects for one component ({@code default-scheduler}, {@code replicaset-controller},
 * a node's {@code kubelet}, ...), as client-go's record package does:
 * <ul>
 *   <li>{@link #normal} and {@link #warning} only put the event in this recorder's queue and return: the caller (a
 *   sync, the scheduler's cycle, a pod's lane) never waits for the API server. The queue holds 1,000 events, as
 *   client-go's broadcaster; an event that finds it full is dropped, and dropping is logged at warn for the 1st,
 *   10th, 100th... event dropped (at debug otherwise).</li>
 *   <li>The queue is written on the cluster's shared workers, on their {@link Workers#background() background} lane,
 *   one event at a time per recorder and no thread of its own: a thousand kubelets cost no thread, and writing
 *   events never delays heartbeats, syncs or pods' work.</li>
 *   <li>Each event goes through an {@link EventCorrelator} first: a repeated event patches the count of the Event
 *   written before, similar events are aggregated, and a source that talks too much about one object is throttled
 *   (on the cluster's clock, over the {@code eventSpamRefill} and {@code eventAggregateInterval} timings).</li>
 *   <li>A write that cannot reach the API server is tried again after {@code eventSleepDuration} (the first wait a
 *   random part of it, drawn from the cluster's seed), 12 tries in all, and the events behind it wait meanwhile, as
 *   in client-go; then it is given up at warn. A write the server refuses (its {@code Status}) is not tried again.</li>
 * </ul>
 * Events are best effort in Kubernetes too: nothing here throws at the caller. {@link #close()} drops what is still
 * queued, as a component that stops (or a node that crashes) loses its unsent events.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final AtomicLong SEQ = new AtomicLong();
    /** client-go's {@code maxQueuedEvents}. */
    static final int MAX_QUEUED = 1000;
    /** client-go's {@code maxTriesPerEvent}. */
    static final int MAX_TRIES = 12;
    /** Events written per turn on the workers, before the recorder goes to the back of the line again. */
    private static final int BATCH = 64;

    private final KubeClient client;
    private final Clock clock;
    private final Timers timers;
    private final Executor lane;
    private final Duration sleep;
    private final long seed;
    private final String component;
    private final String host;
    private final int capacity;
    private final Consumer<String> warn;
    private final EventCorrelator correlator;
    // guarded by this
    private final ArrayDeque<EventCorrelator.Occurrence> queue = new ArrayDeque<>();
    /** A drain is queued on the workers, running, or waiting for its retry: none other may start. */
    private boolean draining;
    private boolean closed;
    private long dropped;
    private long failed;
    /** The event being written, kept across the waits between its tries. */
    private Attempt current;
    private Timers.Task retry;
    private SplittableRandom random;

    /** What the correlator made of an event, and how often writing it failed. */
    private static final class Attempt {
        final EventCorrelator.Correlated event;
        int tries;

        Attempt(EventCorrelator.Correlated event) {
            this.event = event;
        }
    }

    /**
     * A recorder for {@code component} (and, for a kubelet, the node it runs on as {@code host}), writing through
     * {@code client} on {@code ctx}'s workers, on its clock.
     */
    public EventRecorder(KubeClient client, ComponentContext ctx, String component, String host) {
        this(client, ctx, Workers.background(ctx.workers()), MAX_QUEUED, message -> LOG.warn("{}", message),
                component, host);
    }

    /** As the public constructor, with the lane that writes, the queue's size and where warnings go given. */
    EventRecorder(KubeClient client, ComponentContext ctx, Executor lane, int capacity, Consumer<String> warn,
                  String component, String host) {
        this.client = client;
        this.clock = ctx.clock();
        this.timers = ctx.timers();
        this.lane = lane;
        this.sleep = ctx.timings().eventSleepDuration();
        this.seed = ctx.seed();
        this.capacity = capacity;
        this.warn = warn;
        this.component = component;
        this.host = host;
        this.correlator = new EventCorrelator(clock, ctx.timings().eventSpamRefill(),
                ctx.timings().eventAggregateInterval());
    }

    /** Queues a {@code Normal} event about {@code obj} (kube's {@code Eventf(obj, "Normal", reason, message)}). */
    public void normal(JsonNode obj, String reason, String message) {
        record(obj, null, "Normal", reason, message);
    }

    /**
     * Queues a {@code Normal} event about a part of {@code obj}, named by {@code fieldPath} in the event's
     * {@code involvedObject} (a container: {@code spec.containers{name}}, as kube's kubelet refers to one).
     */
    public void normal(JsonNode obj, String fieldPath, String reason, String message) {
        record(obj, fieldPath, "Normal", reason, message);
    }

    /** Queues a {@code Warning} event about {@code obj}. */
    public void warning(JsonNode obj, String reason, String message) {
        record(obj, null, "Warning", reason, message);
    }

    /** Queues a {@code Warning} event about the part of {@code obj} that {@code fieldPath} names. */
    public void warning(JsonNode obj, String fieldPath, String reason, String message) {
        record(obj, fieldPath, "Warning", reason, message);
    }

    /** How many events were dropped so far because the queue was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Drops the events still queued and stops writing; an event recorded later is dropped too. Idempotent. */
    @Override
    public void close() {
        Timers.Task t;
        synchronized (this) {
            closed = true;
            queue.clear();
            current = null;
            t = retry;
            retry = null;
        }
        if (t != null) {
            t.cancel();
        }
    }

    private void record(JsonNode obj, String fieldPath, String type, String reason, String message) {
        EventCorrelator.Occurrence e = new EventCorrelator.Occurrence(component, host,
                obj.path("apiVersion").asText(), obj.path("kind").asText(), Json.namespace(obj), Json.name(obj),
                Json.uid(obj), Json.resourceVersion(obj), fieldPath, type, reason, message, clock.now());
        boolean start = false;
        long drops = 0;
        synchronized (this) {
            if (closed) {
                LOG.debug("{}: not recording {} {} about {}: the recorder is closed", source(), type, reason,
                        Json.key(obj));
                return;
            }
            if (queue.size() >= capacity) {
                drops = ++dropped;
            } else {
                queue.add(e);
                if (!draining) {
                    draining = true;
                    start = true;
                }
            }
        }
        if (drops > 0) {
            String text = source() + ": too many queued events (" + capacity + "), dropped " + type + " " + reason
                    + " about " + e.kind() + " " + Json.key(obj) + " (" + drops + " dropped so far)";
            if (isWarned(drops)) {
                warn.accept(text);
            } else {
                LOG.debug("{}", text);
            }
        }
        if (start) {
            submit();
        }
    }

    private void submit() {
        try {
            lane.execute(this::drain);
        } catch (RejectedExecutionException ex) {
            synchronized (this) {
                draining = false; // the cluster is closing: what is queued stays unwritten
            }
            LOG.debug("{}: not writing events: the cluster is closing", source());
        }
    }

    /** Writes up to a batch of events, one at a time, then makes way for the other work of the background lane. */
    private void drain() {
        for (int n = 0; n < BATCH; n++) {
            Attempt a;
            EventCorrelator.Occurrence next = null;
            synchronized (this) {
                if (closed) {
                    draining = false;
                    return;
                }
                a = current;
                if (a == null) {
                    next = queue.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
            }
            if (a == null) {
                EventCorrelator.Correlated c = correlator.correlate(next, eventName(next.name(), next.time()));
                if (c == null) {
                    LOG.debug("{}: throttled {} {} about {} {}/{}", source(), next.type(), next.reason(),
                            next.kind(), next.namespace(), next.name());
                    continue;
                }
                a = new Attempt(c);
                synchronized (this) {
                    current = a;
                }
            }
            if (!write(a)) {
                return; // a retry is due later, or the recorder closed
            }
            synchronized (this) {
                if (current == a) {
                    current = null;
                }
            }
        }
        submit(); // to the back of the line, so that each recorder with events gets its turn
    }

    /**
     * One try at writing {@code a}: true when it is done with (written, refused, or given up after its last try), false
     * when a retry was set for later (or the recorder closed meanwhile).
     */
    private boolean write(Attempt a) {
        EventCorrelator.Correlated c = a.event;
        String ns = c.event().eventNamespace();
        try {
            ObjectNode written = null;
            if (c.isPatch()) {
                ObjectNode patch = Json.object();
                patch.put("count", c.count()).put("lastTimestamp", c.lastTimestamp().toString())
                        .put("message", c.message());
                try {
                    written = client.mergePatch(Resource.EVENTS, ns, c.name(), null, patch);
                } catch (ApiException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                    // gone (its TTL ran out, or someone deleted it): created again, whole, with its count
                }
            }
            if (written == null) {
                written = client.create(Resource.EVENTS, ns, toJson(c));
            }
            correlator.written(c, Json.name(written), written.path("count").asInt(c.count()), c.firstTimestamp());
            return true;
        } catch (ApiException e) {
            refused(c, e);
            return true;
        } catch (RuntimeException e) {
            return retryLater(a, e);
        }
    }

    /** The server answered with an error: client-go does not try such a write again. */
    private void refused(EventCorrelator.Correlated c, ApiException e) {
        boolean expected = "AlreadyExists".equals(e.reason())
                || e.code() == 403 && String.valueOf(e.getMessage()).contains("because it is being terminated")
                || e.isNotFound() && "namespaces".equals(e.status().path("details").path("kind").asText());
        long n;
        synchronized (this) {
            if (closed) {
                return;
            }
            n = expected ? 0 : ++failed;
        }
        String text = source() + ": server rejected event " + describe(c) + " (will not retry): " + e.getMessage()
                + (n > 1 ? " (" + n + " events lost so far)" : "");
        if (n > 0 && isWarned(n)) {
            warn.accept(text);
        } else {
            LOG.debug("{}", text);
        }
    }

    private boolean retryLater(Attempt a, RuntimeException e) {
        a.tries++;
        Duration delay;
        long n = 0;
        synchronized (this) {
            if (closed) {
                draining = false;
                return false;
            }
            if (a.tries >= MAX_TRIES) {
                n = ++failed;
                delay = null;
            } else {
                if (random == null) {
                    random = Seeds.generator(seed, "events/" + source());
                }
                // client-go randomizes the first wait, so that clients cut off together do not come back together
                delay = a.tries == 1 ? Duration.ofNanos((long) (sleep.toNanos() * random.nextDouble())) : sleep;
            }
        }
        if (delay == null) {
            String text = source() + ": unable to write event " + describe(a.event) + " (retry limit of " + MAX_TRIES
                    + " exceeded): " + e + (n > 1 ? " (" + n + " events lost so far)" : "");
            if (isWarned(n)) {
                warn.accept(text);
            } else {
                LOG.debug("{}", text);
            }
            return true;
        }
        LOG.debug("{}: unable to write event {} (try {} of {}), again in {}: {}", source(), describe(a.event),
                a.tries, MAX_TRIES, delay, e.toString());
        Timers.Task t;
        try {
            t = timers.after(delay, this::submit);
        } catch (RejectedExecutionException closing) {
            synchronized (this) {
                draining = false;
            }
            return false;
        }
        boolean cancel;
        synchronized (this) {
            cancel = closed;
            if (!closed) {
                retry = t;
            }
        }
        if (cancel) {
            t.cancel();
        }
        return false;
    }

    /** The Event to create for {@code c}. */
    private ObjectNode toJson(EventCorrelator.Correlated c) {
        EventCorrelator.Occurrence e = c.event();
        ObjectNode json = Json.object();
        json.put("apiVersion", "v1");
        json.put("kind", "Event");
        Json.with(json, "metadata").put("name", c.name()).put("namespace", e.eventNamespace());
        ObjectNode involved = Json.with(json, "involvedObject");
        involved.put("apiVersion", e.apiVersion());
        involved.put("kind", e.kind());
        involved.put("name", e.name());
        if (e.namespace() != null) {
            involved.put("namespace", e.namespace());
        }
        if (e.uid() != null) {
            involved.put("uid", e.uid());
        }
        if (e.resourceVersion() != null) {
            involved.put("resourceVersion", e.resourceVersion()); // as kube's reference.GetReference copies it
        }
        if (e.fieldPath() != null) {
            involved.put("fieldPath", e.fieldPath());
        }
        json.put("reason", e.reason());
        json.put("message", c.message());
        ObjectNode source = Json.with(json, "source").put("component", component);
        if (host != null) {
            source.put("host", host);
        }
        json.put("firstTimestamp", c.firstTimestamp().toString());
        json.put("lastTimestamp", c.lastTimestamp().toString());
        json.put("count", c.count());
        json.put("type", e.type());
        json.put("reportingComponent", component);
        json.put("reportingInstance", host == null ? component : host);
        return json;
    }

    /** A new Event's name: the object's, a dot and a hex stamp, unique within the JVM, as kube's {@code name.<hex>}. */
    private static String eventName(String object, Instant time) {
        return object + "." + Long.toHexString(time.toEpochMilli()) + Long.toHexString(SEQ.incrementAndGet());
    }

    private String source() {
        return host == null ? component : component + " on " + host;
    }

    private static String describe(EventCorrelator.Correlated c) {
        EventCorrelator.Occurrence e = c.event();
        return e.type() + " " + e.reason() + " about " + e.kind() + " "
                + (e.namespace() == null ? "" : e.namespace() + "/") + e.name();
    }

    /** Whether the {@code n}-th of a kind of loss is told at warn: the 1st, 10th, 100th, 1000th... */
    static boolean isWarned(long n) {
        if (n < 1) {
            return false;
        }
        while (n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
}
