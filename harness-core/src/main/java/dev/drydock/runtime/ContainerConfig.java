package dev.drydock.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to create a container: as the pod spec's container, resolved by the kubelet.
 *
 * @param stdin     whether the container keeps its stdin open ({@code stdin: true}), so an attach can write to it
 * @param stdinOnce whether its stdin closes once the first attached client leaves
 * @param tty       whether it runs on a terminal
 */
public record ContainerConfig(String name, String image, String imagePullPolicy, List<String> command,
                              List<String> args, Map<String, String> env, boolean stdin, boolean stdinOnce,
                              boolean tty) {

    public ContainerConfig {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }

    /** A container without stdin or terminal. */
    public ContainerConfig(String name, String image, String imagePullPolicy, List<String> command,
                           List<String> args, Map<String, String> env) {
        this(name, image, imagePullPolicy, command, args, env, false, false, false);
    }
}
