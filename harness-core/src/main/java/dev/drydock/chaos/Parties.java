package dev.drydock.chaos;

import dev.drydock.net.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A group of the cluster's network parties, named by role and resolved when a fault is made, for
 * {@link NetworkFaults#partition(Parties, Parties)}. The parties of a cluster are:
 * <ul>
 *   <li>{@code apiserver}, the API server;</li>
 *   <li>{@code etcd-0} ... {@code etcd-N-1}, the store's replicas;</li>
 *   <li>{@code scheduler} and {@code controller-manager};</li>
 *   <li>each node's kubelet, by the node's name: {@code node-1} ...;</li>
 *   <li>{@code test}, the test's own clients (the default kubeconfig, {@code cluster.client()});</li>
 *   <li>{@code client:<name>}, each client identity made with {@code cluster.identity(name)}; one that runs on a
 *   node ({@code cluster.identity(name).onNode("node-1")}) is cut whenever its node is, as a pod's client is.</li>
 * </ul>
 *
 * <pre>{@code
 * cluster.networkFaults().partition(Parties.nodes("node-1", "node-2"), Parties.controlPlane());
 * }</pre>
 */
public final class Parties {

    /** The scheduler's party. */
    public static final String SCHEDULER = "scheduler";
    /** The controller manager's party. */
    public static final String CONTROLLER_MANAGER = "controller-manager";

    /**
     * The parties a cluster has now, by role: what groups resolve against, and what a fault on an unknown party is
     * told exists. Made by the cluster.
     *
     * @param components    the API server, the scheduler and controller manager (when they run), and {@code test}
     * @param nodes         each node's kubelet, by the node's name
     * @param storeReplicas the store's replicas
     * @param identities    the client identities made so far ({@code client:<name>})
     */
    public record Directory(List<String> components, List<String> nodes, List<String> storeReplicas,
                            List<String> identities) {

        public Directory {
            components = List.copyOf(components);
            nodes = List.copyOf(nodes);
            storeReplicas = List.copyOf(storeReplicas);
            identities = List.copyOf(identities);
        }

        /** Every party, by role in the order of the record. */
        public List<String> all() {
            List<String> out = new ArrayList<>(components);
            out.addAll(nodes);
            out.addAll(storeReplicas);
            out.addAll(identities);
            return out;
        }

        /** Whether a party of that name exists. */
        public boolean contains(String party) {
            return components.contains(party) || nodes.contains(party) || storeReplicas.contains(party)
                    || identities.contains(party);
        }

        /**
         * Checks that every party exists.
         *
         * @throws IllegalArgumentException naming the first that does not, and the parties there are
         */
        void require(Iterable<String> parties) {
            for (String p : parties) {
                if (p == null || !contains(p)) {
                    throw new IllegalArgumentException("no network party named '" + p + "'; parties are "
                            + all());
                }
            }
        }
    }

    private final String description;
    private final Function<Directory, List<String>> resolve;

    private Parties(String description, Function<Directory, List<String>> resolve) {
        this.description = description;
        this.resolve = resolve;
    }

    /** These parties by name, e.g. {@code Parties.of("apiserver", "client:operator")}. */
    public static Parties of(String... parties) {
        List<String> names = Arrays.asList(parties.clone());
        return new Parties(names.toString(), d -> {
            d.require(names);
            return names;
        });
    }

    /** The kubelets of these nodes, e.g. {@code Parties.nodes("node-1", "node-2")}; each must be a node. */
    public static Parties nodes(String... nodes) {
        List<String> names = Arrays.asList(nodes.clone());
        return new Parties("nodes " + names, d -> {
            for (String n : names) {
                if (!d.nodes().contains(n)) {
                    throw new IllegalArgumentException("no node named '" + n + "'; nodes are " + d.nodes());
                }
            }
            return names;
        });
    }

    /** Every node's kubelet. */
    public static Parties allNodes() {
        return new Parties("all nodes", Directory::nodes);
    }

    /** The control plane: the API server, every store replica, the scheduler and the controller manager. */
    public static Parties controlPlane() {
        return new Parties("control plane", d -> {
            List<String> out = new ArrayList<>();
            out.add(Network.API_SERVER);
            out.addAll(d.storeReplicas());
            d.components().stream().filter(c -> c.equals(SCHEDULER) || c.equals(CONTROLLER_MANAGER))
                    .forEach(out::add);
            return out;
        });
    }

    /**
     * The group's parties in a cluster with these parties.
     *
     * @throws IllegalArgumentException if the group names a party that does not exist, or is empty
     */
    public Set<String> resolve(Directory directory) {
        Set<String> out = new LinkedHashSet<>(resolve.apply(directory));
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the group " + description + " has no party in this cluster; "
                    + "parties are " + directory.all());
        }
        return out;
    }

    @Override
    public String toString() {
        return description;
    }
}
