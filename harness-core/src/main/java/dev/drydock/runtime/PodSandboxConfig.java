package dev.drydock.runtime;

import java.util.Map;

/** What a runtime needs to create a pod's sandbox. */
public record PodSandboxConfig(String namespace, String name, String uid, Map<String, String> labels) {

    public PodSandboxConfig {
        labels = Map.copyOf(labels);
    }
}
