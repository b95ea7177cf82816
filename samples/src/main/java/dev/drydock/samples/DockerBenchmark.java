package dev.drydock.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.base.Timers;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.docker.LocalImages;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench docker}: the Docker runtime against a bare {@code docker run} of the same image, in the same run. It
 * prints the cluster's start time on Docker, pod create to Running one at a time (after as many pods again, not
 * counted, while the JVM compiles drydock's code: a cold JVM spends more CPU on its JIT than on the pods, on the cores
 * the engine needs) and 20 created at once (p50, p99),
 * and {@code docker run -d} of the same image and command from the CLI, one at a time (each before a pod, in turn,
 * with the cluster up), 20 at once (just before the 20 pods), and one at a time on a user-defined network. The image
 * is made from the host's static busybox (no registry needed).
 */
final class DockerBenchmark {

    static final String USAGE = "--runs=N (pods one at a time and docker runs each, default 20) --warmup=N (pods "
            + "started one at a time before those, not counted; default: as many as --runs)";
    private static final String IMAGE = "drydock-bench/busybox:1";

    private DockerBenchmark() {
    }

    static int run(PrintStream out, List<String> args) throws Exception {
        int runs = 20;
        int warmup = -1;
        for (String a : args) {
            if (a.matches("--runs=\\d+")) {
                runs = Integer.parseInt(a.substring("--runs=".length()));
            } else if (a.matches("--warmup=\\d+")) {
                warmup = Integer.parseInt(a.substring("--warmup=".length()));
            } else {
                throw new IllegalArgumentException("bench docker: unknown option " + a + " (" + USAGE + ")");
            }
        }
        if (warmup < 0) {
            warmup = runs;
        }
        LocalImages.busybox(IMAGE, LocalImages.HOST_BUSYBOX);
        out.printf("# bench docker: %d cores; load average at start: %.2f (other work on the machine skews every "
                + "figure); image %s; pods one at a time measured after %d not counted%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), IMAGE, warmup);

        long t0 = System.nanoTime();
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(3))) {
            out.printf("docker.cluster_start_to_nodes_ready %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            for (int i = 0; i < warmup; i++) {
                podsToRunning(cluster, "warmup-" + i, 1);
            }
            // A bare run and a pod in turn, so that a load that changes during the run weighs on both alike; the
            // cluster, idle but for its heartbeats, is up during the bare runs too.
            List<Double> bare = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                bare.add(dockerRun("drydock-bench-" + i));
                one.addAll(podsToRunning(cluster, "one-" + i, 1));
            }
            dockerRm(runs);
            // the same on a user-defined bridge network (Docker sets up more for those: its embedded DNS among
            // others), as drydock's pods were before they moved to the default bridge
            docker("network", "create", "--label", "drydock-bench=1", "drydock-bench-net");
            List<Double> bareOnNetwork = new ArrayList<>();
            try {
                for (int i = 0; i < runs; i++) {
                    bareOnNetwork.add(dockerRun("drydock-bench-net-" + i, "--network", "drydock-bench-net"));
                }
                dockerRm(runs);
            } finally {
                docker("network", "rm", "drydock-bench-net");
            }
            List<Double> bareAtOnce = dockerRunsAtOnce(20);
            dockerRm(20);
            List<Double> atOnce = podsToRunning(cluster, "many", 20);
            print(out, "docker.pod_create_to_running", one);
            print(out, "docker.pod_create_to_running.20_at_once", atOnce);
            print(out, "docker.bare_docker_run", bare);
            print(out, "docker.bare_docker_run.20_at_once", bareAtOnce);
            print(out, "docker.bare_docker_run.user_network", bareOnNetwork);
            out.printf("docker.pod_create_to_running.p50_vs_bare_docker_run %.2fx%n",
                    percentile(one, 0.5) / percentile(bare, 0.5));
            out.printf("docker.pod_create_to_running.20_at_once.p50_vs_bare_docker_run %.2fx%n",
                    percentile(atOnce, 0.5) / percentile(bareAtOnce, 0.5));
            out.printf("docker.pod_create_to_running.p50_vs_bare_docker_run.user_network %.2fx%n",
                    percentile(one, 0.5) / percentile(bareOnNetwork, 0.5));
        }
        return 0;
    }

    /** Milliseconds from creating each of {@code count} pods to seeing it Running, all created at once. */
    private static List<Double> podsToRunning(DrydockCluster cluster, String prefix, int count) throws Exception {
        KubeClient client = cluster.client();
        Timers timers = Timers.create("bench", Clock.SYSTEM, Runnable::run);
        Map<String, Long> created = new ConcurrentHashMap<>();
        List<Double> took = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(count);
        Informer pods = new Informer(client, Resource.PODS, "default", Map.of("labelSelector", "bench=" + prefix),
                timers);
        pods.addHandler(new Informer.Handler() {
            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                if ("Running".equals(Json.text(newObj, "status", "phase"))) {
                    Long start = created.remove(Json.name(newObj));
                    if (start != null) {
                        took.add((System.nanoTime() - start) / 1e6);
                        done.countDown();
                    }
                }
            }
        });
        pods.start();
        try {
            List<ObjectNode> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
                Json.with(p, "metadata").put("name", prefix + "-" + i).putObject("labels").put("bench", prefix);
                ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                        .put("image", IMAGE);
                c.putArray("command").add("sleep").add("3600");
                bodies.add(p);
            }
            for (ObjectNode p : bodies) {
                created.put(Json.name(p), System.nanoTime());
                client.create(Resource.PODS, "default", p);
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(done.getCount() + " of " + count + " pods " + prefix
                        + "-* not Running within 120 s");
            }
            return took;
        } finally {
            pods.close();
            timers.close();
        }
    }

    /** Milliseconds of {@code docker run -d} of the image's {@code sleep 3600}, from the CLI. */
    private static double dockerRun(String name, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label",
                "drydock-bench=1"));
        command.addAll(List.of(options));
        command.addAll(List.of(IMAGE, "sleep", "3600"));
        long s = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("docker run failed: " + output);
        }
        return (System.nanoTime() - s) / 1e6;
    }

    private static List<Double> dockerRunsAtOnce(int count) throws Exception {
        List<Double> took = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "drydock-bench-many-" + i;
            Thread t = new Thread(() -> {
                try {
                    took.add(dockerRun(name));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        return took;
    }

    private static void docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Removes the containers the bare runs made. */
    private static void dockerRm(int expected) throws IOException, InterruptedException {
        Process ids = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=drydock-bench=1").start();
        List<String> all = new String(ids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).toList();
        ids.waitFor();
        if (!all.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
            rm.addAll(all);
            Process p = new ProcessBuilder(rm).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static double percentile(List<Double> samples, double q) {
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s.get(Math.max(0, (int) Math.ceil(s.size() * q) - 1));
    }

    private static void print(PrintStream out, String metric, List<Double> samples) {
        out.printf("%s.p50 %.1f ms%n", metric, percentile(samples, 0.5));
        out.printf("%s.p99 %.1f ms%n", metric, percentile(samples, 0.99));
    }
}
