package dev.drydock.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to create a pod's sandbox.
 *
 * @param portMappings         the ports the pod's containers declare ({@code containerPort}s), as CRI's sandbox
 *                             config lists them
 * @param concurrentContainers how many of the pod's containers may run at the same time: its app containers and its
 *                             restartable init containers (sidecars); plain init containers run one at a time before
 *                             them. A runtime may treat a pod that never runs two at once more cheaply (none does
 *                             now: Docker gives every pod a sandbox container, so that it keeps its address)
 */
public record PodSandboxConfig(String namespace, String name, String uid, Map<String, String> labels,
                               List<PortMapping> portMappings, int concurrentContainers) {

    public PodSandboxConfig {
        labels = Map.copyOf(labels);
        portMappings = List.copyOf(portMappings);
    }

    /** A sandbox whose containers declare no ports, for pods that may run several containers at once. */
    public PodSandboxConfig(String namespace, String name, String uid, Map<String, String> labels) {
        this(namespace, name, uid, labels, List.of(), Integer.MAX_VALUE);
    }

    /** A port a container of the pod declares: {@code TCP}, {@code UDP} or {@code SCTP}, and its number. */
    public record PortMapping(String protocol, int containerPort) {
    }
}
