package dev.drydock.api.kinds;

import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.Subresource;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import java.util.List;

/**
 * A pod's stream subresources as discovery lists them ({@code pods/log}, {@code pods/exec}, {@code pods/attach},
 * {@code pods/portforward}): they stream, so the HTTP side serves them ({@link dev.drydock.api.streams}); a request
 * that reaches the API as a plain call gets kube's answer to a request that does not upgrade.
 */
final class PodStreamSubresource implements Subresource {

    private final String name;
    private final String kind;
    private final List<String> verbs;

    private PodStreamSubresource(String name, String kind, List<String> verbs) {
        this.name = name;
        this.kind = kind;
        this.verbs = verbs;
    }

    static PodStreamSubresource log() {
        return new PodStreamSubresource("log", "Pod", List.of("get"));
    }

    static PodStreamSubresource exec() {
        return new PodStreamSubresource("exec", "PodExecOptions", List.of("create", "get"));
    }

    static PodStreamSubresource attach() {
        return new PodStreamSubresource("attach", "PodAttachOptions", List.of("create", "get"));
    }

    static PodStreamSubresource portForward() {
        return new PodStreamSubresource("portforward", "PodPortForwardOptions", List.of("create", "get"));
    }

    @Override
    public ApiResponse serve(ApiRequest request, KindDescriptor kind, ResourceStorage storage) {
        if (name.equals("log")) {
            throw ApiException.of(400, "BadRequest", "pods/log streams text: it is served over HTTP only");
        }
        throw ApiException.of(400, "BadRequest", "Upgrade request required");
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public List<String> verbs() {
        return verbs;
    }
}
