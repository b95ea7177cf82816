package dev.drydock.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's network as the pods of each node see it: every pod is on the engine's default bridge (where a
 * container starts as fast as a bare {@code docker run}: the engine sets up more for a user-defined network, its
 * embedded DNS among others), and a cut between two nodes is made real by packet filters in the network namespace of
 * each sandbox of the nodes concerned ({@code iptables-restore} run there through {@code nsenter}), dropping what
 * crosses the cut by the addresses of the pods on the other side, as a real partition drops it. Needs root and the
 * host's {@code nsenter} and {@code iptables} (the Docker engine's own dependency) on Linux; without them cuts are not
 * enforced, which is said at warn once.
 */
final class NodeLinks {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLinks.class);

    /** A sandbox whose network namespace runs: its node and its address there. */
    private record Member(String node, String ip) {
    }

    private final Set<String> nodes = new HashSet<>(); // guarded by this
    /** The sandboxes whose network namespace runs, by id. */
    private final Map<String, Member> members = new HashMap<>(); // guarded by this
    /** The pid of the process that holds a sandbox's network namespace now, or 0 if none runs. */
    private final java.util.function.ToLongFunction<String> pidOf;
    /** For each node, the nodes whose pods its pods cannot send to now. */
    private Map<String, Set<String>> cut = Map.of(); // guarded by this
    private final ExecutorService lane;
    private boolean warned; // guarded by this

    NodeLinks(String cluster, java.util.function.ToLongFunction<String> pidOf) {
        this.pidOf = pidOf;
        this.lane = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "drydock-" + cluster + "-docker-links");
            t.setDaemon(true);
            return t;
        });
    }

    /** A node of the cluster: links to and from it can be cut. */
    synchronized void node(String node) {
        nodes.add(node);
    }

    /**
     * A sandbox whose network namespace is new (a sandbox container started, or the one container of a pod without
     * one), at {@code ip}, held by process {@code pid}: the cuts of its node apply to it at once, and, since the
     * pods across a cut are told apart by address, the other pods' filters are brought up to date on the lane. Cheap
     * when no link is cut.
     */
    void joined(String node, String sandboxId, String ip, long pid) {
        synchronized (this) {
            members.put(sandboxId, new Member(node, ip));
            if (cut.isEmpty()) {
                return;
            }
        }
        java.util.concurrent.Future<?> done = refresh(List.of(sandboxId), sandboxId, pid);
        refreshAll(sandboxId); // the others' filters after, without holding the start
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            warn("the filters of sandbox " + sandboxId + " were not written: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.CancellationException closing) {
            // the cluster is closing
        }
    }

    /** A sandbox's network namespace is gone (its pod removed, or its node's containers). */
    synchronized void left(String sandboxId) {
        members.remove(sandboxId);
    }

    /** The links changed: what each node's pods can reach is worked out now, and applied on the lane. */
    void changed(BiPredicate<String, String> reachable) {
        Map<String, Set<String>> next = new HashMap<>();
        synchronized (this) {
            for (String a : nodes) {
                for (String b : nodes) {
                    if (!a.equals(b) && !reachable.test(a, b)) {
                        next.computeIfAbsent(a, n -> new HashSet<>()).add(b);
                    }
                }
            }
            if (next.equals(cut)) {
                return;
            }
            cut = next;
        }
        refreshAll(null);
    }

    /** Rewrites on the lane the filters of every sandbox but {@code except} (null: all). */
    private void refreshAll(String except) {
        List<String> targets;
        synchronized (this) {
            targets = new ArrayList<>(members.keySet());
        }
        targets.remove(except);
        refresh(targets, null, 0);
    }

    /**
     * Rewrites on the lane the filters of the sandboxes {@code targets}, as the links and members are when each is
     * written (worked out on the lane, so the last one written is always the newest); {@code known}'s network
     * namespace is held by process {@code knownPid}, the others' are looked up.
     */
    private java.util.concurrent.Future<?> refresh(List<String> targets, String known, long knownPid) {
        try {
            return lane.submit(() -> {
                for (String id : targets) {
                    String rules;
                    synchronized (this) {
                        Member m = members.get(id);
                        if (m == null) {
                            continue; // gone meanwhile
                        }
                        rules = rules(m.node());
                    }
                    long pid;
                    try {
                        pid = id.equals(known) ? knownPid : pidOf.applyAsLong(id);
                    } catch (RuntimeException e) {
                        warn("could not find the process of sandbox " + id + ": " + e.getMessage());
                        continue;
                    }
                    apply(id, pid, rules == null ? "" : rules);
                }
            });
        } catch (RejectedExecutionException closing) {
            return java.util.concurrent.CompletableFuture.completedFuture(null); // nothing to cut any more
        }
    }

    /** The filter table of a sandbox of {@code node}, or null if it has nothing to drop. */
    private String rules(String node) {
        StringBuilder r = new StringBuilder();
        Set<String> to = cut.getOrDefault(node, Set.of());
        for (Member other : members.values()) {
            if (other.node().equals(node) || other.ip() == null) {
                continue;
            }
            if (to.contains(other.node())) {
                r.append("-A OUTPUT -d ").append(other.ip()).append(" -j DROP\n");
            }
            if (cut.getOrDefault(other.node(), Set.of()).contains(node)) {
                r.append("-A INPUT -s ").append(other.ip()).append(" -j DROP\n");
            }
        }
        return r.length() == 0 ? null : r.toString();
    }

    private void apply(String sandboxId, long pid, String rules) {
        if (pid <= 0) {
            return; // nothing runs in it now: the next start applies the rules
        }
        String table = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + rules
                + "COMMIT\n";
        try {
            Process p = new ProcessBuilder("nsenter", "-t", Long.toString(pid), "-n", "iptables-restore")
                    .redirectErrorStream(true).start();
            p.getOutputStream().write(table.getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                warn("iptables-restore in sandbox " + sandboxId + " did not finish within 30 s");
            } else if (p.exitValue() != 0) {
                warn("iptables-restore in sandbox " + sandboxId + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            warn("could not run nsenter/iptables-restore: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void warn(String why) {
        synchronized (this) {
            if (warned) {
                LOG.debug("{}", why);
                return;
            }
            warned = true;
        }
        LOG.warn("network cuts between nodes are not enforced for some pods on the Docker runtime: {} (it needs root, "
                + "nsenter and iptables on a Linux Docker host)", why);
    }

    void close() {
        lane.shutdownNow();
        try {
            if (!lane.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the Docker links lane did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
