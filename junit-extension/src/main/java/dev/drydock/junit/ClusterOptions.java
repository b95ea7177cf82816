package dev.drydock.junit;

import dev.drydock.base.Timings;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.NodeSpec;
import dev.drydock.runtime.UnknownImages;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Cluster} annotation (with its {@link Node}s) asks for, every value checked and resolved, so that two
 * annotations asking for the same cluster compare equal (the classes of one {@code shared} name must) and a bad value
 * fails with a message naming the attribute, where it is written and the value. Names no Jackson type, as
 * {@link DrydockExtension} does not.
 *
 * @param seed the seed, or null for a random one
 */
record ClusterOptions(List<NodeSpec> nodes, String nodeCpu, String nodeMemory, int nodeMaxPods, Long seed,
                      String runtime, int storeReplicas, Timings timings, Cluster.Lifecycle lifecycle,
                      String shared, UnknownImages unknownImages) {

    /** The configuration parameter, or system property, that overrides every {@code @Cluster}'s seed. */
    static final String SEED_PARAMETER = "drydock.seed";

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /**
     * Reads and checks an annotation.
     *
     * @param where         the annotation and where it is written, e.g. {@code @Cluster on com.example.WebTest}
     * @param seedParameter the value of {@value #SEED_PARAMETER}, if set
     * @throws IllegalArgumentException naming {@code where}, the attribute and the bad value
     */
    static ClusterOptions of(Cluster cluster, List<Node> nodeAnnotations, String where,
                             Optional<String> seedParameter) {
        ClusterSpec defaults = ClusterSpec.create();
        try {
            defaults.nodeCapacity(cluster.nodeCpu(), cluster.nodeMemory()); // checks both
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " (nodeCpu = \"" + cluster.nodeCpu() + "\", nodeMemory = \""
                    + cluster.nodeMemory() + "\"): " + e.getMessage(), e);
        }
        try {
            defaults.nodeMaxPods(cluster.nodeMaxPods()).storeReplicas(cluster.storeReplicas()).nodes(cluster.nodes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (!nodeAnnotations.isEmpty() && cluster.nodes() != 3) {
            throw new IllegalArgumentException(where + ": nodes = " + cluster.nodes() + " and " + nodeAnnotations.size()
                    + " @Node annotation(s) both say which nodes to run; with @Node, leave nodes out");
        }
        List<NodeSpec> nodes = nodeAnnotations.isEmpty() ? plainNodes(cluster.nodes()) : nodes(nodeAnnotations, where);
        Long seed = cluster.seed() != 0 ? Long.valueOf(cluster.seed()) : null;
        if (seedParameter.isPresent()) {
            try {
                seed = Long.parseLong(seedParameter.get().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SEED_PARAMETER + " = \"" + seedParameter.get() + "\" (a system "
                        + "property or JUnit configuration parameter) is not a seed: a seed is a long, e.g. "
                        + "-D" + SEED_PARAMETER + "=42", e);
            }
        }
        String shared = cluster.shared();
        if (!shared.isEmpty() && shared.isBlank()) {
            throw new IllegalArgumentException(where + ": shared = \"" + shared + "\" is blank; a shared cluster's "
                    + "name must say something");
        }
        if (!shared.isEmpty() && cluster.lifecycle() == Cluster.Lifecycle.PER_METHOD) {
            throw new IllegalArgumentException(where + ": shared = \"" + shared + "\" with lifecycle = PER_METHOD: a "
                    + "shared cluster lives for the whole run; leave one of them out");
        }
        return new ClusterOptions(nodes, cluster.nodeCpu().trim(), cluster.nodeMemory().trim(), cluster.nodeMaxPods(),
                seed, cluster.runtime(), cluster.storeReplicas(), timings(cluster.timings(), where),
                cluster.lifecycle(), shared, cluster.unknownImages());
    }

    /** The spec to start. */
    ClusterSpec spec() {
        ClusterSpec spec = ClusterSpec.create().nodeCapacity(nodeCpu, nodeMemory).nodeMaxPods(nodeMaxPods)
                .storeReplicas(storeReplicas).nodes(nodes.toArray(NodeSpec[]::new)).timings(timings)
                .unknownImages(unknownImages);
        if (seed != null) {
            spec = spec.seed(seed);
        }
        if (!runtime.isEmpty()) {
            spec = spec.runtime(runtime);
        }
        return spec;
    }

    /**
     * How these options differ from {@code started}'s, attribute by attribute, e.g.
     * {@code nodeCpu "1" instead of "4"}.
     */
    String differencesFrom(ClusterOptions started) {
        List<String> differences = new ArrayList<>();
        for (RecordComponent c : ClusterOptions.class.getRecordComponents()) {
            try {
                Object mine = c.getAccessor().invoke(this);
                Object theirs = c.getAccessor().invoke(started);
                if (!Objects.equals(mine, theirs)) {
                    differences.add(c.getName() + " " + quoted(mine) + " instead of " + quoted(theirs));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join("; ", differences);
    }

    private static String quoted(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    private static List<NodeSpec> plainNodes(int count) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(NodeSpec.named("node-" + i));
        }
        return nodes;
    }

    private static List<NodeSpec> nodes(List<Node> annotations, String where) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (Node a : annotations) {
            String at = "@Node" + (a.name().isEmpty() ? "" : "(name = \"" + a.name() + "\")") + " beside " + where;
            if (a.count() < 1) {
                throw new IllegalArgumentException(at + ": count = " + a.count() + "; a @Node stands for 1 or more "
                        + "nodes");
            }
            if (!a.name().isEmpty() && a.count() != 1) {
                throw new IllegalArgumentException(at + ": count = " + a.count() + " with a name; a named @Node is "
                        + "one node (leave the name out for node-<i> names)");
            }
            for (int i = 0; i < a.count(); i++) {
                try {
                    nodes.add(node(a, a.name().isEmpty() ? "node-" + (nodes.size() + 1) : a.name()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
                }
            }
        }
        try {
            ClusterSpec.create().nodes(nodes.toArray(NodeSpec[]::new)); // checks that names are unique
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@Node beside " + where + ": " + e.getMessage(), e);
        }
        return nodes;
    }

    private static NodeSpec node(Node a, String name) {
        NodeSpec n = NodeSpec.named(name);
        for (String label : a.labels()) {
            int eq = label.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("label \"" + label + "\" is not key=value");
            }
            n = n.label(label.substring(0, eq).trim(), label.substring(eq + 1).trim());
        }
        for (String taint : a.taints()) {
            int colon = taint.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("taint \"" + taint + "\" has no effect: write key=value:Effect or "
                        + "key:Effect, the effect NoSchedule, PreferNoSchedule or NoExecute");
            }
            String keyValue = taint.substring(0, colon);
            int eq = keyValue.indexOf('=');
            n = n.taint((eq < 0 ? keyValue : keyValue.substring(0, eq)).trim(),
                    eq < 0 ? "" : keyValue.substring(eq + 1).trim(), taint.substring(colon + 1).trim());
        }
        if (!a.cpu().isEmpty()) {
            n = n.cpu(a.cpu());
        }
        if (!a.memory().isEmpty()) {
            n = n.memory(a.memory());
        }
        if (a.maxPods() != -1) {
            n = n.maxPods(a.maxPods());
        }
        return n;
    }

    /** {@code timings = {"kubernetes", "nodeMonitorGracePeriod=5s"}}: an optional profile first, then overrides. */
    static Timings timings(String[] entries, String where) {
        Timings timings = Timings.compressed();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int eq = entry.indexOf('=');
            if (eq < 0) {
                if (i == 0 && entry.equals("compressed")) {
                    continue;
                }
                if (i == 0 && entry.equals("kubernetes")) {
                    timings = Timings.kubernetes();
                    continue;
                }
                throw new IllegalArgumentException(where + ": timings entry \"" + entries[i] + "\" is neither a "
                        + "profile (\"compressed\" or \"kubernetes\", first only) nor name=duration");
            }
            String name = entry.substring(0, eq).trim();
            String value = entry.substring(eq + 1).trim();
            Duration duration;
            try {
                duration = duration(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": timings entry \"" + entries[i] + "\": " + e.getMessage(),
                        e);
            }
            try {
                timings = timings.with(name, duration);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": timings entry \"" + entries[i] + "\": "
                        + e.getMessage(), e);
            }
        }
        return timings;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m30s}, {@code 1h}, or ISO-8601 ({@code PT1.5S}). */
    static Duration duration(String value) {
        if (value.startsWith("P") || value.startsWith("p")) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + value + "\" is not an ISO-8601 duration", e);
            }
        }
        Matcher m = DURATION_PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            BigDecimal amount = new BigDecimal(m.group(1));
            long perUnit = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos(amount.multiply(BigDecimal.valueOf(perUnit)).longValue());
            end = m.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("\"" + value + "\" is not a duration such as 500ms, 2s, 1m30s or 1h");
        }
        return total;
    }
}
