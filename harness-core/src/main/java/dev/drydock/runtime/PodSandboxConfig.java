package dev.drydock.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to create a pod's sandbox.
 *
 * @param portMappings the ports the pod's containers declare ({@code containerPort}s), as CRI's sandbox config lists
 *                     them: a runtime that cannot reach a pod's network otherwise (Docker) publishes these
 */
public record PodSandboxConfig(String namespace, String name, String uid, Map<String, String> labels,
                               List<PortMapping> portMappings) {

    public PodSandboxConfig {
        labels = Map.copyOf(labels);
        portMappings = List.copyOf(portMappings);
    }

    /** A sandbox whose containers declare no ports. */
    public PodSandboxConfig(String namespace, String name, String uid, Map<String, String> labels) {
        this(namespace, name, uid, labels, List.of());
    }

    /** A port a container of the pod declares: {@code TCP}, {@code UDP} or {@code SCTP}, and its number. */
    public record PortMapping(String protocol, int containerPort) {
    }
}
