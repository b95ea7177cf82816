package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import java.util.List;

/**
 * The {@code scale} subresource: the object seen as an {@code autoscaling/v1} Scale, whose {@code spec.replicas}
 * reads and writes the object's, and whose {@code status.selector} is the object's label selector in string form.
 */
public final class ScaleSubresource implements Subresource {

    private final String specReplicas;
    private final String statusReplicas;
    private final String labelSelector;

    /** The scale of a workload: {@code .spec.replicas}, {@code .status.replicas}, {@code .spec.selector}. */
    public ScaleSubresource() {
        this(".spec.replicas", ".status.replicas", null);
    }

    /**
     * The scale of a custom resource, as its CRD's {@code subresources.scale} names the paths.
     *
     * @param labelSelector the path of the selector in string form ({@code .status.selector}), or null
     */
    public ScaleSubresource(String specReplicas, String statusReplicas, String labelSelector) {
        this.specReplicas = specReplicas;
        this.statusReplicas = statusReplicas;
        this.labelSelector = labelSelector;
    }

    @Override
    public String kind() {
        return "Scale";
    }

    @Override
    public String groupVersion() {
        return "autoscaling/v1";
    }

    @Override
    public List<String> verbs() {
        return List.of("get", "patch", "update");
    }

    @Override
    public ApiResponse serve(ApiRequest req, KindDescriptor kind, ResourceStorage storage) {
        ObjectNode written = switch (req.verb()) {
            case GET -> storage.get(kind, req.namespace(), req.name());
            case UPDATE, PATCH -> {
                ObjectNode update = req.verb() == ApiRequest.Verb.UPDATE ? storage.body(kind, req) : null;
                String rv = update != null ? Json.resourceVersion(update) : null;
                long expected = rv == null || rv.isEmpty() ? -1 : ApiServer.parseResourceVersion(rv);
                yield storage.write(kind, req.namespace(), req.name(), expected, obj -> {
                    ObjectNode before = obj.deepCopy();
                    JsonNode scale = toScale(obj);
                    if (req.verb() == ApiRequest.Verb.PATCH) {
                        String type = Patches.mediaType(req);
                        scale = Patches.apply(type, scale, req.body());
                        if (scale instanceof ObjectNode result) {
                            scale = TypeMeta.SCALE.patched(result, type.equals(Patches.STRATEGIC),
                                    storage.registry());
                        }
                    } else {
                        scale = update;
                    }
                    JsonNode replicas = scale.path("spec").path("replicas");
                    if (!replicas.isIntegralNumber() || replicas.asLong() < 0) {
                        throw Errors.invalid(kind, req.name(), List.of(FieldError.invalid("spec.replicas",
                                replicas.toString(), "must be greater than or equal to 0")));
                    }
                    set(obj, specReplicas, Json.object().numberNode(replicas.asLong()));
                    return storage.updated(kind, before, obj); // a spec change: generation moves on
                }, "All".equals(req.param("dryRun")));
            }
            default -> throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the "
                    + "requested resource");
        };
        return new ApiResponse(200, toScale(written));
    }

    private ObjectNode toScale(ObjectNode obj) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            JsonNode v = Json.at(obj, "metadata", f);
            if (v != null) {
                meta.set(f, v);
            }
        }
        JsonNode spec = get(obj, specReplicas);
        // A workload's replicas default to 1 (they are defaulted on create); a custom resource's are as stored.
        scale.putObject("spec").put("replicas", spec == null ? labelSelector == null ? 1 : 0 : spec.asLong());
        ObjectNode status = scale.putObject("status");
        JsonNode current = get(obj, statusReplicas);
        status.put("replicas", current == null ? 0 : current.asLong());
        String selector = labelSelector == null ? LabelSelector.toString(obj.path("spec").path("selector"))
                : textOrEmpty(get(obj, labelSelector));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    private static String textOrEmpty(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** The value at a simple JSON path such as {@code .spec.replicas}, or null. */
    private static JsonNode get(ObjectNode obj, String path) {
        if (path == null) {
            return null;
        }
        JsonNode n = obj;
        for (String part : path.substring(1).split("\\.")) {
            n = n.path(part);
        }
        return n.isMissingNode() || n.isNull() ? null : n;
    }

    private static void set(ObjectNode obj, String path, JsonNode value) {
        String[] parts = path.substring(1).split("\\.");
        ObjectNode n = obj;
        for (int i = 0; i < parts.length - 1; i++) {
            n = Json.with(n, parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }
}
