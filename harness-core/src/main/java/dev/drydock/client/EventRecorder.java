package dev.drydock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about objects, as client-go's event recorder does for each component
 * ({@code default-scheduler}, {@code replicaset-controller}, {@code kubelet}, ...). Failing to record is logged, not
 * thrown: events are best effort in Kubernetes too.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final AtomicLong SEQ = new AtomicLong();

    private final KubeClient client;
    private final Clock clock;
    private final String component;
    private final String host;

    public EventRecorder(KubeClient client, Clock clock, String component, String host) {
        this.client = client;
        this.clock = clock;
        this.component = component;
        this.host = host;
    }

    public void normal(JsonNode obj, String reason, String message) {
        record(obj, "Normal", reason, message);
    }

    public void warning(JsonNode obj, String reason, String message) {
        record(obj, "Warning", reason, message);
    }

    private void record(JsonNode obj, String type, String reason, String message) {
        String ns = Json.namespace(obj);
        if (ns == null) {
            ns = "default"; // kube records events of cluster-scoped objects in "default"
        }
        String now = clock.now().toString();
        ObjectNode e = Json.object();
        e.put("apiVersion", "v1");
        e.put("kind", "Event");
        Json.with(e, "metadata").put("name", Json.name(obj) + "." + Long.toHexString(clock.now().toEpochMilli())
                + Long.toHexString(SEQ.incrementAndGet())).put("namespace", ns);
        ObjectNode involved = Json.with(e, "involvedObject");
        involved.put("apiVersion", obj.path("apiVersion").asText());
        involved.put("kind", obj.path("kind").asText());
        involved.put("name", Json.name(obj));
        if (Json.namespace(obj) != null) {
            involved.put("namespace", Json.namespace(obj));
        }
        if (Json.uid(obj) != null) {
            involved.put("uid", Json.uid(obj));
        }
        e.put("reason", reason);
        e.put("message", message);
        ObjectNode source = Json.with(e, "source").put("component", component);
        if (host != null) {
            source.put("host", host);
        }
        e.put("firstTimestamp", now);
        e.put("lastTimestamp", now);
        e.put("count", 1);
        e.put("type", type);
        e.put("reportingComponent", component);
        e.put("reportingInstance", host == null ? component : host);
        try {
            client.create(Resource.EVENTS, ns, e);
        } catch (RuntimeException ex) {
            LOG.debug("could not record event {} {}: {}", reason, Json.key(obj), ex.getMessage());
        }
    }
}
