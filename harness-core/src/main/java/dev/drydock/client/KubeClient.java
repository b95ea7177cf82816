package dev.drydock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client every component of a cluster uses to talk to the API server: typed verbs over a {@link Transport}.
 * Objects are Kubernetes JSON; errors are {@link ApiException}s carrying kube's {@code Status}.
 */
public final class KubeClient {

    private final Transport transport;

    public KubeClient(Transport transport) {
        this.transport = transport;
    }

    /** The resources the server serves now, with their verbs (discovery). */
    public Map<Resource, List<String>> discover() {
        return transport.discover();
    }

    public ObjectNode get(Resource r, String namespace, String name) {
        return send(new ApiRequest(ApiRequest.Verb.GET, r, namespace, name, null, null, null, null));
    }

    /** Gets an object, or {@code null} if it does not exist. */
    public ObjectNode find(Resource r, String namespace, String name) {
        try {
            return get(r, namespace, name);
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /** Lists objects ({@code namespace} null: all namespaces); returns the list object with its resourceVersion. */
    public ObjectNode list(Resource r, String namespace, Map<String, String> params) {
        return send(new ApiRequest(ApiRequest.Verb.LIST, r, namespace, null, null, params, null, null));
    }

    /** The items of a list. */
    public List<ObjectNode> items(Resource r, String namespace, String labelSelector) {
        Map<String, String> params = new HashMap<>();
        if (labelSelector != null) {
            params.put("labelSelector", labelSelector);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode item : list(r, namespace, params).path("items")) {
            out.add((ObjectNode) item);
        }
        return out;
    }

    public ObjectNode create(Resource r, String namespace, ObjectNode obj) {
        return send(new ApiRequest(ApiRequest.Verb.CREATE, r, namespace, null, null, null, obj, null));
    }

    /** Replaces an object; fails with 409 Conflict if its resourceVersion is not the current one. */
    public ObjectNode update(Resource r, ObjectNode obj) {
        return send(new ApiRequest(ApiRequest.Verb.UPDATE, r, Json.namespace(obj), Json.name(obj), null, null, obj,
                null));
    }

    /**
     * Reads an object, changes it and writes it back, again from a fresh read whenever someone else wrote it in
     * between (409 Conflict), as client-go's {@code RetryOnConflict}. Gives up after 20 conflicts.
     */
    public ObjectNode modify(Resource r, String namespace, String name, java.util.function.Consumer<ObjectNode> change) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode obj = get(r, namespace, name);
            change.accept(obj);
            try {
                return update(r, obj);
            } catch (ApiException e) {
                if (!e.isConflict() || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** Replaces an object's status through its {@code status} subresource. */
    public ObjectNode updateStatus(Resource r, ObjectNode obj) {
        return send(new ApiRequest(ApiRequest.Verb.UPDATE, r, Json.namespace(obj), Json.name(obj), "status", null,
                obj, null));
    }

    /** Applies a JSON merge patch (RFC 7386). */
    public ObjectNode mergePatch(Resource r, String namespace, String name, String subresource, ObjectNode patch) {
        return send(new ApiRequest(ApiRequest.Verb.PATCH, r, namespace, name, subresource, null, patch,
                "application/merge-patch+json"));
    }

    /**
     * Server-side apply of {@code config} (an object with {@code apiVersion}, {@code kind} and
     * {@code metadata.name}) as {@code fieldManager}: created if missing; {@code force} takes the fields other
     * managers own (a 409 Conflict otherwise).
     */
    public ObjectNode apply(Resource r, String namespace, String name, ObjectNode config, String fieldManager,
                            boolean force) {
        Map<String, String> params = new HashMap<>();
        params.put("fieldManager", fieldManager);
        if (force) {
            params.put("force", "true");
        }
        return send(new ApiRequest(ApiRequest.Verb.PATCH, r, namespace, name, null, params, config,
                "application/apply-patch+yaml"));
    }

    public void delete(Resource r, String namespace, String name) {
        send(new ApiRequest(ApiRequest.Verb.DELETE, r, namespace, name, null, null, null, null));
    }

    /**
     * Deletes with {@code DeleteOptions}: a {@code propagationPolicy} ({@code Background}, {@code Foreground},
     * {@code Orphan}, or null for the kind's default) and a precondition on the uid (or null).
     */
    public void delete(Resource r, String namespace, String name, String propagationPolicy, String uid) {
        delete(r, namespace, name, propagationPolicy, uid, null);
    }

    /** Deletes with {@code DeleteOptions}, also giving the grace period (0: at once, as a kubelet confirms). */
    public void delete(Resource r, String namespace, String name, String propagationPolicy, String uid,
                       Long gracePeriodSeconds) {
        ObjectNode options = Json.object();
        if (gracePeriodSeconds != null) {
            options.put("gracePeriodSeconds", gracePeriodSeconds);
        }
        options.put("kind", "DeleteOptions");
        options.put("apiVersion", "v1");
        if (propagationPolicy != null) {
            options.put("propagationPolicy", propagationPolicy);
        }
        if (uid != null) {
            Json.with(options, "preconditions").put("uid", uid);
        }
        send(new ApiRequest(ApiRequest.Verb.DELETE, r, namespace, name, null, null, options, null));
    }

    /** Binds a pod to a node, as the scheduler does: {@code POST pods/<name>/binding}. */
    public void bind(String namespace, String pod, String node) {
        ObjectNode binding = Json.object();
        binding.put("apiVersion", "v1");
        binding.put("kind", "Binding");
        Json.with(binding, "metadata").put("name", pod).put("namespace", namespace);
        Json.with(binding, "target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
        send(new ApiRequest(ApiRequest.Verb.CREATE, Resource.PODS, namespace, pod, "binding", null, binding, null));
    }

    /**
     * Evicts a pod through the eviction API, as {@code kubectl drain} does: {@code POST pods/<name>/eviction} with a
     * policy/v1 Eviction. A PodDisruptionBudget that forbids it answers 429.
     */
    public void evict(String namespace, String pod) {
        ObjectNode eviction = Json.object();
        eviction.put("apiVersion", "policy/v1");
        eviction.put("kind", "Eviction");
        Json.with(eviction, "metadata").put("name", pod).put("namespace", namespace);
        send(new ApiRequest(ApiRequest.Verb.CREATE, Resource.PODS, namespace, pod, "eviction", null, eviction,
                null));
    }

    /** Watches from {@code resourceVersion} (exclusive), with the given selectors (each may be null). */
    public Watch watch(Resource r, String namespace, String resourceVersion, Map<String, String> params,
                       WatchHandler handler) {
        Map<String, String> p = new HashMap<>(params == null ? Map.of() : params);
        p.put("resourceVersion", resourceVersion);
        p.put("allowWatchBookmarks", "true");
        return transport.watch(new ApiRequest(ApiRequest.Verb.WATCH, r, namespace, null, null, p, null, null),
                handler);
    }

    private ObjectNode send(ApiRequest request) {
        ApiResponse response = transport.call(request);
        if (response.code() >= 400) {
            throw new ApiException((ObjectNode) response.body());
        }
        return (ObjectNode) response.body();
    }
}
