package dev.drydock.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to create a container: as the pod spec's container, resolved by the kubelet (its environment
 * built and {@code $(VAR)}-expanded, its command and args expanded, its volumes turned into {@link Mount}s).
 *
 * @param stdin     whether the container keeps its stdin open ({@code stdin: true}), so an attach can write to it
 * @param stdinOnce whether its stdin closes once the first attached client leaves
 * @param tty       whether it runs on a terminal
 * @param mounts    its volumes, in the order of its {@code volumeMounts}
 * @param resources its requests and limits
 */
public record ContainerConfig(String name, String image, String imagePullPolicy, List<String> command,
                              List<String> args, Map<String, String> env, boolean stdin, boolean stdinOnce,
                              boolean tty, List<Mount> mounts, ContainerResources resources) {

    public ContainerConfig {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        resources = resources == null ? ContainerResources.NONE : resources;
    }

    /** A container without volumes or resources. */
    public ContainerConfig(String name, String image, String imagePullPolicy, List<String> command,
                           List<String> args, Map<String, String> env, boolean stdin, boolean stdinOnce,
                           boolean tty) {
        this(name, image, imagePullPolicy, command, args, env, stdin, stdinOnce, tty, List.of(),
                ContainerResources.NONE);
    }

    /** A container without stdin, terminal, volumes or resources. */
    public ContainerConfig(String name, String image, String imagePullPolicy, List<String> command,
                           List<String> args, Map<String, String> env) {
        this(name, image, imagePullPolicy, command, args, env, false, false, false);
    }
}
