package dev.drydock.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.base.Timers;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code drydock.jar bench NAME}: benchmarks that print one {@code metric value unit} line per figure. Figures, not
 * pass/fail: speed goals are checked by reading them, never by timed tests.
 */
final class Benchmarks {

    static final List<String> NAMES = List.of("startup", "idle", "api", "store", "chaos", "scale", "docker");

    private Benchmarks() {
    }

    /**
     * {@code bench store --soak[=SECONDS] [--clients=N]}: the store's randomized check against the replicated store
     * under its nemesis, in rounds, with the figures of each; exits 1 if any check failed.
     */
    private static int soak(List<String> args, PrintStream out, PrintStream err) {
        long seconds = 60;
        int clients = 16;
        long seed = System.currentTimeMillis() % 100_000;
        for (String a : args) {
            if (a.matches("--soak(=\\d+)?")) {
                seconds = a.contains("=") ? Long.parseLong(a.substring("--soak=".length())) : seconds;
            } else if (a.matches("--seed=\\d+")) {
                seed = Long.parseLong(a.substring("--seed=".length()));
            } else if (a.matches("--clients=\\d+")) {
                clients = Integer.parseInt(a.substring("--clients=".length()));
            } else {
                err.println("bench store --soak: unknown option " + a + " (--soak[=SECONDS], --clients=N, --seed=N)");
                return 2;
            }
        }
        int violations = dev.drydock.store.check.StoreSoak.run(out, Duration.ofSeconds(seconds), clients, seed);
        return violations == 0 ? 0 : 1;
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length < 1 || !NAMES.contains(args[0])) {
            err.println("usage: java -jar drydock.jar bench NAME   (NAME: " + String.join(", ", NAMES) + ")");
            err.println("       java -jar drydock.jar bench idle [--warmup=SECONDS] [--seconds=SECONDS]");
            err.println("       java -jar drydock.jar bench api [" + ApiBenchmark.USAGE + "]");
            err.println("       java -jar drydock.jar bench store [" + StoreBenchmark.Settings.USAGE + "]");
            err.println("       java -jar drydock.jar bench chaos [" + ChaosBenchmark.USAGE + "]");
            err.println("       java -jar drydock.jar bench scale [" + ScaleBenchmark.USAGE + "]");
            err.println("       java -jar drydock.jar bench docker [" + DockerBenchmark.USAGE + "]");
            err.println("       java -jar drydock.jar bench store --soak[=SECONDS] [--clients=N] [--seed=N]   (the"
                    + " store's proof of correctness for longer: 60 s, 16 clients, a seed from the clock by default)");
            return 2;
        }
        if (args[0].equals("api")) {
            ApiBenchmark.Settings settings;
            try {
                settings = ApiBenchmark.Settings.parse(List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            ApiBenchmark.run(out, settings);
        } else if (args[0].equals("scale")) {
            ScaleBenchmark.Settings settings;
            try {
                settings = ScaleBenchmark.Settings.parse(List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            return ScaleBenchmark.run(out, settings);
        } else if (args[0].equals("docker")) {
            try {
                return DockerBenchmark.run(out, List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
        } else if (args[0].equals("chaos")) {
            ChaosBenchmark.Settings settings;
            try {
                settings = ChaosBenchmark.Settings.parse(List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            ChaosBenchmark.run(out, settings);
        } else if (args[0].equals("store") && List.of(args).stream().anyMatch(a -> a.startsWith("--soak"))) {
            return soak(List.of(args).subList(1, args.length), out, err);
        } else if (args[0].equals("store")) {
            StoreBenchmark.Settings settings;
            try {
                settings = StoreBenchmark.Settings.parse(List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            StoreBenchmark.run(out, settings, StoreBenchmark::open);
        } else if (args[0].equals("idle")) {
            long warmUp = 30;
            long window = 60;
            for (String a : List.of(args).subList(1, args.length)) {
                if (a.matches("--warmup=\\d+")) {
                    warmUp = Long.parseLong(a.substring("--warmup=".length()));
                } else if (a.matches("--seconds=\\d+")) {
                    window = Long.parseLong(a.substring("--seconds=".length()));
                } else {
                    err.println("bench idle: unknown option " + a + " (--warmup=SECONDS, --seconds=SECONDS)");
                    return 2;
                }
            }
            IdleBenchmark.run(out, Duration.ofSeconds(warmUp), Duration.ofSeconds(window));
        } else if (args.length > 1) {
            err.println("bench " + args[0] + " takes no options");
            return 2;
        } else {
            startup(out);
        }
        return 0;
    }

    /**
     * Cold start (the first cluster in this JVM, class loading included) to the API serving and to all nodes Ready,
     * warm start per test with 3 store replicas (the default) and with 1, interleaved in the same run so that their
     * ratio shows the cost of replication on equal terms, and Deployment create to 3 Running (3 replicas).
     */
    static void startup(PrintStream out) throws Exception {
        out.printf("# bench startup: %d cores; load average at start: %.2f (other work on the machine skews every "
                + "figure)%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        DrydockCluster first = DrydockCluster.start(ClusterSpec.create().nodes(3).seed(1));
        long ready = System.nanoTime() - t0;
        Instant serving = first.timeline().entries().stream()
                .filter(e -> e.detail() != null && e.detail().startsWith("serving on")).findFirst().orElseThrow().at();
        first.close();
        out.printf("startup.cold_start_to_api_serving %.1f ms%n", Duration.between(started, serving).toNanos() / 1e6);
        out.printf("startup.cold_start_to_nodes_ready %.1f ms%n", ready / 1e6);

        List<Double> warm = new ArrayList<>();
        List<Double> warmOne = new ArrayList<>();
        List<Double> rollout = new ArrayList<>();
        int runs = 20;
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().nodes(3).seed(100 + i))) {
                warm.add((System.nanoTime() - s) / 1e6);
                rollout.add(deploymentToRunning(c, 3) / 1e6);
            }
            s = System.nanoTime();
            try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().nodes(3).storeReplicas(1)
                    .seed(100 + i))) {
                warmOne.add((System.nanoTime() - s) / 1e6);
            }
        }
        print(out, "startup.warm_start_to_nodes_ready", warm);
        print(out, "startup.warm_start_to_nodes_ready.1_store_replica", warmOne);
        out.printf("startup.warm_start_to_nodes_ready.p50_3_vs_1_store_replicas %.2fx%n",
                median(warm) / median(warmOne));
        print(out, "startup.deployment_create_to_3_running", rollout);
    }

    private static double median(List<Double> samples) {
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** Nanoseconds from creating a Deployment of {@code replicas} to that many Running pods, seen by a watch. */
    private static long deploymentToRunning(DrydockCluster cluster, int replicas) throws Exception {
        KubeClient client = cluster.client();
        Timers timers = Timers.create("bench", Clock.SYSTEM, Runnable::run);
        CompletableFuture<Long> done = new CompletableFuture<>();
        Informer pods = new Informer(client, Resource.PODS, "default", Map.of("labelSelector", "app=bench"), timers);
        long[] start = new long[1];
        Runnable check = () -> {
            long running = pods.list().stream()
                    .filter(p -> "Running".equals(Json.text(p, "status", "phase"))).count();
            if (running >= replicas && start[0] != 0) {
                done.complete(System.nanoTime() - start[0]);
            }
        };
        pods.addHandler(new Informer.Handler() {
            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                check.run();
            }
        });
        pods.start();
        try {
            start[0] = System.nanoTime();
            client.create(Resource.DEPLOYMENTS, "default", deployment("bench", replicas));
            return done.get(60, TimeUnit.SECONDS);
        } finally {
            pods.close();
            timers.close();
        }
    }

    /** A Deployment of {@code replicas} busybox pods labelled {@code app=<name>}, for the benchmarks. */
    /**
     * A Deployment of {@code replicas} pods of the pause image, as Kubernetes' own density tests (clusterloader2)
     * run: tagged, so pulled once per node ({@code IfNotPresent}), not for every pod as an untagged image is.
     */
    static ObjectNode deployment(String name, int replicas) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", name);
        ObjectNode spec = Json.with(d, "spec").put("replicas", replicas);
        Json.with(spec, "selector", "matchLabels").put("app", name);
        Json.with(spec, "template", "metadata", "labels").put("app", name);
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject()
                .put("name", "main").put("image", "registry.k8s.io/pause:3.9");
        return d;
    }

    private static void print(PrintStream out, String metric, List<Double> samples) {
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        out.printf("%s.p50 %.1f ms%n", metric, s.get(s.size() / 2));
        out.printf("%s.p90 %.1f ms%n", metric, s.get((int) Math.ceil(s.size() * 0.9) - 1));
        out.printf("%s.max %.1f ms%n", metric, s.get(s.size() - 1));
    }

}
