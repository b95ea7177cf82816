package dev.drydock.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's warm sandboxes: pause containers started ahead of need on the engine's default bridge, so that a pod
 * claims one whose network namespace already runs, and its containers joining it start about as fast as a bare
 * {@code docker run} (a sandbox started for the pod costs a second container start). The pool is filled on the
 * cluster's warm lane, one sandbox at a time, only while no container start is under way in the cluster (a fill must
 * not slow a pod's start), and again after each claim; a pod that finds it empty gets a sandbox started for it. Its
 * sandboxes carry the cluster's and the node's labels, so the node's crash, the cluster's close and the next cluster
 * after a killed JVM remove them as they remove the pods' containers.
 */
final class SandboxPool {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPool.class);
    private static final AtomicLong NAMES = new AtomicLong();

    /**
     * A started sandbox: its container, its address on the bridge, the process holding its network namespace, its
     * host name and the files the engine made for its {@code /etc/hostname} and {@code /etc/hosts}.
     */
    record Warm(String id, String ip, long pid, String hostname, String hostnamePath, String hostsPath) {
    }

    private final DockerCluster cluster;
    private final String node;
    private final int size;
    private final Deque<Warm> ready = new ArrayDeque<>(); // guarded by this
    /** Fills queued on the warm lane or under way. */
    private int filling; // guarded by this
    /** A fill that waits for the cluster's container starts to end. */
    private boolean waiting; // guarded by this
    /** The fills submitted to the warm lane that may not have ended. */
    private final java.util.List<Future<?>> submitted = new java.util.ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this
    /** The ids of the warm sandboxes not claimed yet (their engine events are nobody's). */
    private final Set<String> unclaimed = ConcurrentHashMap.newKeySet();

    SandboxPool(DockerCluster cluster, String node, int size) {
        this.cluster = cluster;
        this.node = node;
        this.size = size;
    }

    /** A started sandbox for a pod, or null if none is ready; the pool is refilled behind it. */
    Warm claim() {
        Warm w;
        synchronized (this) {
            w = ready.poll();
        }
        if (w != null) {
            unclaimed.remove(w.id());
        }
        refill();
        return w;
    }

    /** Whether {@code containerId} is one of this pool's sandboxes that no pod claimed yet. */
    boolean unclaimed(String containerId) {
        return unclaimed.contains(containerId);
    }

    /** Queues fills on the warm lane until the pool is (or will be) full. */
    void refill() {
        synchronized (this) {
            if (closed || waiting || ready.size() + filling >= size) {
                return;
            }
            filling++;
            submitted.removeIf(Future::isDone);
            try {
                submitted.add(cluster.warm.submit(this::fill));
            } catch (RejectedExecutionException closing) {
                filling--;
            }
        }
    }

    /** The cluster's container starts have all ended: a fill that waited for that goes on. */
    void startsIdle() {
        synchronized (this) {
            if (!waiting) {
                return;
            }
            waiting = false;
        }
        refill();
    }

    private void fill() {
        boolean wait;
        synchronized (this) {
            if (closed) {
                filling--;
                return;
            }
            wait = cluster.startsUnderWay() > 0; // a pod's start goes first: this one waits for them to end
            if (wait) {
                filling--;
                waiting = true;
            }
        }
        if (wait) {
            if (cluster.startsUnderWay() == 0) {
                startsIdle(); // the last one ended before this fill said it waits: nobody else will wake it
            }
            return;
        }
        Warm w = null;
        try {
            w = start();
        } catch (RuntimeException e) {
            LOG.debug("node {}: a warm sandbox could not be started: {}", node, e.toString());
        }
        boolean again;
        synchronized (this) {
            filling--;
            again = w != null && !closed; // after a failure, the next claim tries again: no loop of failures
            if (again) {
                ready.add(w);
                unclaimed.add(w.id());
                w = null;
            }
        }
        if (w != null) { // the node was closed meanwhile: nothing of it outlives it
            removeQuietly(w.id());
        }
        if (again) {
            refill();
        }
    }

    private Warm start() {
        Map<String, String> labels = new HashMap<>(cluster.labels());
        labels.put(Labels.NODE, node);
        labels.put(Labels.IS_SANDBOX, "true");
        long n = NAMES.incrementAndGet();
        String hostname = "warm-" + cluster.instance + "-" + n;
        String name = ("drydock-" + cluster.instance + "-" + node + "-warm-" + n).replaceAll("[^a-zA-Z0-9_.-]", "_");
        String id;
        try {
            id = cluster.docker.createContainerCmd(PauseImage.NAME).withName(name)
                    .withEntrypoint("/pause").withLabels(labels).withHostName(hostname)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(cluster.network)).exec().getId();
        } catch (RuntimeException e) {
            removeQuietly(name); // the engine may have made it all the same (a call cut short): by its name
            throw e;
        }
        synchronized (this) {
            if (closed) {
                removeQuietly(id);
                return null;
            }
        }
        try {
            cluster.docker.startContainerCmd(id).exec();
            InspectContainerResponse inspected = cluster.docker.inspectContainerCmd(id).exec();
            ContainerNetwork on = inspected.getNetworkSettings() == null
                    || inspected.getNetworkSettings().getNetworks() == null ? null
                    : inspected.getNetworkSettings().getNetworks().get(cluster.network);
            Long pid = inspected.getState().getPidLong();
            if (on == null || on.getIpAddress() == null || on.getIpAddress().isEmpty() || pid == null || pid <= 0) {
                throw new IllegalStateException("warm sandbox " + id + " has no address on " + cluster.network);
            }
            return new Warm(id, on.getIpAddress(), pid, hostname, inspected.getHostnamePath(),
                    inspected.getHostsPath());
        } catch (RuntimeException e) {
            removeQuietly(id);
            throw e;
        }
    }

    /**
     * The claimed sandbox {@code w} becomes the sandbox of the pod whose host name is {@code hostname}: its
     * {@code /etc/hostname} and {@code /etc/hosts} (files of the engine's, shared by the containers joining it) say
     * so, and its container takes the pod's sandbox name, on the warm lane, so that {@code docker ps} reads well.
     * The host name of each container's own UTS namespace is set as it starts ({@link Hostnames#set}).
     */
    void adopt(Warm w, String hostname, String name) {
        rewrite(w.hostnamePath(), text -> hostname + "\n");
        rewrite(w.hostsPath(), text -> text.lines()
                .map(l -> l.startsWith(w.ip()) ? l.replace(w.hostname(), hostname) : l)
                .reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append).toString());
        try {
            cluster.warm.execute(() -> {
                try {
                    cluster.docker.renameContainerCmd(w.id()).withName(name).exec();
                } catch (DockerException e) {
                    LOG.debug("node {}: renaming sandbox {} to {} failed: {}", node, w.id(), name, e.toString());
                }
            });
        } catch (RejectedExecutionException closing) {
            // the cluster is closing: its name no longer matters
        }
    }

    private void rewrite(String path, java.util.function.UnaryOperator<String> change) {
        if (path == null || path.isEmpty()) {
            return;
        }
        try {
            Path p = Path.of(path);
            Files.writeString(p, change.apply(Files.readString(p, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            Hostnames.warn("the engine's file " + path + " could not be rewritten (is the engine on another host?): "
                    + e);
        }
    }

    /** Closes the pool with its node: no fill starts any more, the one under way ends, the ready ones go. */
    void close() {
        java.util.List<Future<?>> fills;
        java.util.List<Warm> left;
        synchronized (this) {
            closed = true;
            fills = java.util.List.copyOf(submitted);
            submitted.clear();
            left = java.util.List.copyOf(ready);
            ready.clear();
        }
        for (Future<?> running : fills) {
            if (running.cancel(false)) {
                continue; // it had not started
            }
            try { // under way: it ends, and sees the pool closed
                running.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                     | java.util.concurrent.CancellationException e) {
                LOG.debug("node {}: the warm sandbox under way ended with {}", node, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        left.forEach(w -> removeQuietly(w.id()));
        unclaimed.clear();
    }

    private void removeQuietly(String id) {
        try {
            cluster.removeContainer(id);
        } catch (RuntimeException e) {
            LOG.debug("node {}: removing warm sandbox {} failed: {}", node, id, e.toString());
        }
    }
}
