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
 * The cluster's network as the pods of each node see it: every node has a /24 of the cluster's Docker network, and a
 * cut between two nodes is made real by packet filters in the network namespace of each sandbox of the nodes
 * concerned ({@code iptables-restore} run there through {@code nsenter}), dropping what crosses the cut, as a real
 * partition drops it. Needs root and the host's {@code nsenter} and {@code iptables} (the Docker engine's own
 * dependency) on Linux; without them cuts are not enforced, which is said at warn once.
 */
final class NodeLinks {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLinks.class);

    /** The first two octets of the cluster's /16. */
    private final String prefix;
    private final Map<String, Integer> nodeIndex = new HashMap<>(); // guarded by this
    private final Map<String, Set<Integer>> usedHosts = new HashMap<>(); // guarded by this
    /** The sandboxes, by id: their node. */
    private final Map<String, String> members = new HashMap<>(); // guarded by this
    /** The pid of the process that holds a sandbox's network namespace now, or 0 if none runs. */
    private final java.util.function.ToLongFunction<String> pidOf;
    /** For each node, the nodes whose pods its pods cannot send to now. */
    private Map<String, Set<String>> cut = Map.of(); // guarded by this
    private final ExecutorService lane;
    private boolean warned; // guarded by this

    NodeLinks(String prefix, String cluster, java.util.function.ToLongFunction<String> pidOf) {
        this.prefix = prefix;
        this.pidOf = pidOf;
        this.lane = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "drydock-" + cluster + "-docker-links");
            t.setDaemon(true);
            return t;
        });
    }

    /** The cluster network's subnet. */
    String subnet() {
        return prefix + ".0.0/16";
    }

    /** The bridge's own address on it. */
    String gateway() {
        return prefix + ".0.1";
    }

    /** The node's /24, given on first use (at most 254 nodes). */
    synchronized String nodeCidr(String node) {
        return prefix + "." + index(node) + ".0/24";
    }

    private int index(String node) {
        Integer i = nodeIndex.get(node);
        if (i == null) {
            if (nodeIndex.size() >= 254) {
                throw new IllegalStateException("the docker runtime gives each node a /24 of one /16, so it serves at "
                        + "most 254 nodes; " + node + " would be the 255th");
            }
            i = nodeIndex.size() + 1;
            nodeIndex.put(node, i);
        }
        return i;
    }

    /** A free address in the node's /24 for a new sandbox. */
    synchronized String allocate(String node) {
        int i = index(node);
        Set<Integer> used = usedHosts.computeIfAbsent(node, n -> new HashSet<>());
        for (int host = 2; host < 255; host++) {
            if (used.add(host)) {
                return prefix + "." + i + "." + host;
            }
        }
        throw new IllegalStateException("node " + node + " has no free pod address left in " + nodeCidr(node)
                + " (253 pods at once)");
    }

    /** Gives an address back, and forgets the sandbox that held it. */
    synchronized void release(String node, String ip, String sandboxId) {
        members.remove(sandboxId);
        if (ip != null) {
            Set<Integer> used = usedHosts.get(node);
            if (used != null) {
                used.remove(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)));
            }
        }
    }

    /**
     * A sandbox whose network namespace is new (a sandbox container started, or the one container of a pod without
     * one): the cuts of its node apply to it at once. Cheap when its node has none.
     */
    void joined(String node, String sandboxId) {
        String rules;
        synchronized (this) {
            members.put(sandboxId, node);
            rules = rules(node);
        }
        if (rules != null) {
            apply(sandboxId, rules);
        }
    }

    /** The links changed: what each node's pods can reach is worked out now, and applied on the lane. */
    void changed(BiPredicate<String, String> reachable) {
        Map<String, Set<String>> next = new HashMap<>();
        List<String> targets = new ArrayList<>();
        synchronized (this) {
            for (String a : nodeIndex.keySet()) {
                for (String b : nodeIndex.keySet()) {
                    if (!a.equals(b) && !reachable.test(a, b)) {
                        next.computeIfAbsent(a, n -> new HashSet<>()).add(b);
                    }
                }
            }
            if (next.equals(cut)) {
                return;
            }
            cut = next;
            targets.addAll(members.keySet());
        }
        try {
            lane.execute(() -> {
                for (String id : targets) {
                    String rules;
                    synchronized (this) {
                        String node = members.get(id);
                        if (node == null) {
                            continue; // gone meanwhile
                        }
                        rules = rules(node);
                    }
                    apply(id, rules == null ? "" : rules);
                }
            });
        } catch (RejectedExecutionException closing) {
            // the cluster is closing: nothing to cut any more
        }
    }

    /** The filter table of a sandbox of {@code node}, or null if it has nothing to drop. */
    private String rules(String node) {
        StringBuilder r = new StringBuilder();
        for (String other : nodeIndex.keySet()) {
            if (other.equals(node)) {
                continue;
            }
            String cidr = prefix + "." + nodeIndex.get(other) + ".0/24";
            if (cut.getOrDefault(node, Set.of()).contains(other)) {
                r.append("-A OUTPUT -d ").append(cidr).append(" -j DROP\n");
            }
            if (cut.getOrDefault(other, Set.of()).contains(node)) {
                r.append("-A INPUT -s ").append(cidr).append(" -j DROP\n");
            }
        }
        return r.length() == 0 ? null : r.toString();
    }

    private void apply(String sandboxId, String rules) {
        long pid;
        try {
            pid = pidOf.applyAsLong(sandboxId);
        } catch (RuntimeException e) {
            warn("could not find the process of sandbox " + sandboxId + ": " + e.getMessage());
            return;
        }
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
