package dev.drydock.fake;

import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerEventListener;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxStatus;
import dev.drydock.runtime.RuntimeError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's in-memory runtime. A sandbox is an IP from the node's pod network; a container is a record of its state.
 * In this first cut every image behaves as a sleeper: it starts and runs until stopped (exit code 137 when killed,
 * 0 when stopped gracefully). It owns no thread: calls change state and tell the listener at once.
 */
final class FakeRuntime implements ContainerRuntime {

    private record Sandbox(PodSandboxConfig config, String ip, List<String> containers, boolean[] ready) {
    }

    private final NodeContext node;
    private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
    private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
    private final Map<String, String> sandboxOf = new LinkedHashMap<>();
    private final String ipBase;
    private ContainerEventListener listener = (s, c) -> { };
    private int nextIp = 2;
    private int nextId;
    private boolean closed;

    FakeRuntime(NodeContext node) {
        this.node = node;
        String cidr = node.podCidr() == null ? "10.244.0.0/24" : node.podCidr();
        this.ipBase = cidr.substring(0, cidr.lastIndexOf('.') + 1);
    }

    @Override
    public synchronized void setListener(ContainerEventListener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized String runPodSandbox(PodSandboxConfig config) {
        checkOpen();
        String id = "sandbox-" + node.node() + "-" + ++nextId;
        sandboxes.put(id, new Sandbox(config, freeIp(), new ArrayList<>(), new boolean[]{true}));
        return id;
    }

    @Override
    public synchronized void stopPodSandbox(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            return;
        }
        for (String c : s.containers()) {
            stop(c, 137, "Error");
        }
        s.ready()[0] = false;
    }

    @Override
    public synchronized void removePodSandbox(String sandboxId) {
        Sandbox s = sandboxes.remove(sandboxId);
        if (s != null) {
            for (String c : s.containers()) {
                containers.remove(c);
                sandboxOf.remove(c);
            }
        }
    }

    @Override
    public synchronized PodSandboxStatus podSandboxStatus(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        return s == null ? null : new PodSandboxStatus(sandboxId, s.ready()[0], s.ip());
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerConfig config) {
        checkOpen();
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            throw new RuntimeError("CreateContainerError", "sandbox " + sandboxId + " not found");
        }
        if (config.image() == null || config.image().isBlank()) {
            throw new RuntimeError("InvalidImageName", "empty image name");
        }
        String id = "container-" + node.node() + "-" + ++nextId;
        containers.put(id, new ContainerStatus(id, config.name(), config.image(), ContainerStatus.State.CREATED,
                now(), null, null, 0, null));
        sandboxOf.put(id, sandboxId);
        s.containers().add(id);
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        checkOpen();
        ContainerStatus c = require(containerId);
        containers.put(containerId, new ContainerStatus(c.id(), c.name(), c.image(), ContainerStatus.State.RUNNING,
                c.createdAt(), now(), null, 0, null));
        listener.containerChanged(sandboxOf.get(containerId), containerId);
    }

    @Override
    public synchronized void stopContainer(String containerId, long timeoutSeconds) {
        // A sleeper exits on SIGTERM at once: exit code 143 as a shell's would, reason Error as kube reports it.
        stop(containerId, 143, "Error");
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        containers.remove(containerId);
        String sandbox = sandboxOf.remove(containerId);
        if (sandbox != null && sandboxes.containsKey(sandbox)) {
            sandboxes.get(sandbox).containers().remove(containerId);
        }
    }

    @Override
    public synchronized ContainerStatus containerStatus(String containerId) {
        return containers.get(containerId);
    }

    @Override
    public synchronized List<ContainerStatus> listContainers(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        List<ContainerStatus> out = new ArrayList<>();
        if (s != null) {
            s.containers().forEach(c -> out.add(containers.get(c)));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        sandboxes.clear();
        containers.clear();
        sandboxOf.clear();
    }

    private void stop(String containerId, int exitCode, String reason) {
        ContainerStatus c = containers.get(containerId);
        if (c == null || c.state() != ContainerStatus.State.RUNNING) {
            return;
        }
        containers.put(containerId, new ContainerStatus(c.id(), c.name(), c.image(), ContainerStatus.State.EXITED,
                c.createdAt(), c.startedAt(), now(), exitCode, reason));
        listener.containerChanged(sandboxOf.get(containerId), containerId);
    }

    /** The next address of the node's /24 that no sandbox holds (2..254; .1 stands for the node's bridge). */
    private String freeIp() {
        java.util.Set<String> taken = new java.util.HashSet<>();
        sandboxes.values().forEach(s -> taken.add(s.ip()));
        for (int i = 0; i < 253; i++) {
            String ip = ipBase + ((nextIp - 2 + i) % 253 + 2);
            if (!taken.contains(ip)) {
                nextIp = (nextIp - 2 + i + 1) % 253 + 2;
                return ip;
            }
        }
        throw new RuntimeError("CreatePodSandboxError", "no free pod IP left in " + ipBase + "0/24 on node "
                + node.node());
    }

    private ContainerStatus require(String id) {
        ContainerStatus c = containers.get(id);
        if (c == null) {
            throw new RuntimeError("ContainerNotFound", "container " + id + " not found");
        }
        return c;
    }

    private void checkOpen() {
        if (closed) {
            throw new RuntimeError("RuntimeUnavailable", "runtime of node " + node.node() + " is stopped");
        }
    }

    private Instant now() {
        return node.clock().now();
    }
}
