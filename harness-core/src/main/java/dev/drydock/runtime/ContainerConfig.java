package dev.drydock.runtime;

import java.util.List;
import java.util.Map;

/** What a runtime needs to create a container: as the pod spec's container, resolved by the kubelet. */
public record ContainerConfig(String name, String image, String imagePullPolicy, List<String> command,
                              List<String> args, Map<String, String> env) {

    public ContainerConfig {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }
}
