package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.ScaleSubresource;
import dev.drydock.api.Subresource;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code scale} subresource of a kind whose selector is a plain label map rather than a label selector (a
 * ReplicationController): the workloads' scale, with {@code status.selector} written from the map, as kube's
 * {@code labels.SelectorFromSet(rc.Spec.Selector).String()}.
 */
final class MapSelectorScale implements Subresource {

    private final ScaleSubresource scale = new ScaleSubresource();

    @Override
    public String kind() {
        return scale.kind();
    }

    @Override
    public String groupVersion() {
        return scale.groupVersion();
    }

    @Override
    public List<String> verbs() {
        return scale.verbs();
    }

    @Override
    public ApiResponse serve(ApiRequest req, KindDescriptor kind, ResourceStorage storage) {
        ApiResponse response = scale.serve(req, kind, storage);
        if (response.code() == 200 && response.body() instanceof ObjectNode body) {
            ObjectNode obj = storage.find(kind, req.namespace(), req.name());
            Map<String, String> selector = new TreeMap<>();
            if (obj != null) {
                obj.path("spec").path("selector").properties().forEach(e -> selector.put(e.getKey(),
                        e.getValue().asText()));
            }
            StringBuilder s = new StringBuilder();
            selector.forEach((k, v) -> s.append(s.length() > 0 ? "," : "").append(k).append('=').append(v));
            ObjectNode status = (ObjectNode) body.path("status");
            if (s.length() > 0) {
                status.put("selector", s.toString());
            } else {
                status.remove("selector");
            }
        }
        return response;
    }
}
