package dev.drydock.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClientIdentity;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.net.LinkRule;
import dev.drydock.net.Network;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench chaos}: what {@code net} costs and how fast a cut is felt.
 * <ul>
 *   <li>The overhead of the network's rules on the request path: GETs and creates of a pod, from 1 and from 8
 *   clients, over HTTP ({@code java.net.http}, raw JSON) and in process (drydock's {@code KubeClient}), with no
 *   rules and with 100 idle rules (one-way cuts of 100 client identities that send nothing), alternating, and the
 *   ratio of the two rates. Every request crosses its party's link to the API server both ways, so it looks the
 *   rules of that link up twice; before those, the cost of one such look-up with no rules and with the 100.</li>
 *   <li>The time from {@code networkFaults().isolate(party)} of a client identity until its open watch is seen as
 *   broken by the client: drydock's own client in process (its handler closed with an error), a raw HTTP stream
 *   ({@code java.net.http} reading the chunked watch until an I/O error), and fabric8's {@code KubernetesClient}
 *   (its {@code Watcher.onClose} with a {@code WatcherException}, reconnects turned off so that the break is not
 *   hidden by a retry). A cut watch goes silent at once and is broken when the client's compressed health check
 *   gives up (about a second); the figure says how close to that it is.</li>
 * </ul>
 * The cluster is an API server alone: nodes would add their own traffic to the figures.
 */
final class ChaosBenchmark {

    private static final String NS = "bench-chaos";
    private static final Resource CONFIG_MAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    private static final int IDLE_RULES = 100;
    /** How long one break may take before the benchmark gives up on it. */
    private static final Duration BREAK_PATIENCE = Duration.ofSeconds(30);

    /** What to run: every figure is bounded in count and time. */
    record Settings(Duration window, Duration warmUp, long maxRequests, int repetitions, int rounds, int checks) {

        static Settings parse(List<String> args) {
            boolean quick = args.contains("--quick");
            double seconds = quick ? 0.2 : 2;
            int repetitions = quick ? 2 : 7;
            for (String a : args) {
                if (a.equals("--quick")) {
                    continue;
                } else if (a.matches("--seconds=\\d+(\\.\\d+)?")) {
                    seconds = Double.parseDouble(a.substring(a.indexOf('=') + 1));
                } else if (a.matches("--repetitions=\\d+")) {
                    repetitions = Integer.parseInt(a.substring(a.indexOf('=') + 1));
                } else {
                    throw new IllegalArgumentException("bench chaos: unknown option " + a + " (" + USAGE + ")");
                }
            }
            if (seconds <= 0 || seconds > 600 || repetitions < 1 || repetitions > 100) {
                throw new IllegalArgumentException("bench chaos: out of range (" + USAGE + ")");
            }
            Duration window = Duration.ofMillis((long) (seconds * 1000));
            return new Settings(window, window.dividedBy(3), 200_000, repetitions, quick ? 1 : 5,
                    quick ? 10_000 : 2_000_000);
        }
    }

    static final String USAGE = "--quick, --seconds=S per window (2; quick 0.2), --repetitions=N of each break "
            + "(7; quick 2)";

    private final PrintStream out;
    private final Settings settings;
    private final LoadRunner runner;

    private ChaosBenchmark(PrintStream out, Settings settings) {
        this.out = out;
        this.settings = settings;
        this.runner = new LoadRunner(settings.warmUp(), settings.window(), settings.maxRequests());
    }

    static void run(PrintStream out, Settings settings) throws Exception {
        new ChaosBenchmark(out, settings).run();
    }

    private void run() throws Exception {
        out.printf("# bench chaos: %d cores, load average %.2f at start; each request figure is the median of %d "
                        + "windows of %.1f s (each after a %.1f s warm-up), no rules and %d idle rules alternating; "
                        + "%d break(s) per client%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                settings.rounds(), settings.window().toMillis() / 1000.0, settings.warmUp().toMillis() / 1000.0,
                IDLE_RULES, settings.repetitions());
        checkCost();
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("bench-chaos").apiServerOnly()
                .seed(16))) {
            requestPath(cluster);
            watchBreaks(cluster);
        }
    }

    // ---- the request path

    private void requestPath(DrydockCluster cluster) throws Exception {
        ApiTarget.Http http = new ApiTarget.Http("drydock", cluster.apiUrl());
        ApiTarget.InProcess inProcess = new ApiTarget.InProcess(cluster.client());
        http.createNamespace(NS);
        http.createPod(NS, "target", 0);
        List<NetworkFault> idle = new ArrayList<>();
        List<String> idleParties = new ArrayList<>();
        for (int i = 0; i < IDLE_RULES; i++) {
            idleParties.add(cluster.identity("idle-" + i).party());
        }
        Runnable noRules = () -> {
            idle.forEach(NetworkFault::close);
            idle.clear();
        };
        Runnable idleRules = () -> {
            if (idle.isEmpty()) {
                for (String party : idleParties) {
                    idle.add(cluster.networkFaults().cut(party, Network.API_SERVER));
                }
            }
        };
        try {
            for (ApiTarget t : List.of(http, inProcess)) {
                for (int clients : List.of(1, 8)) {
                    compare(cluster, "get", t, clients, noRules, idleRules, () -> { },
                            seq -> t.getPod(NS, "target"));
                    // every create window starts from an empty namespace: a store that grows window by window would
                    // slow the later windows
                    compare(cluster, "create", t, clients, noRules, idleRules, () -> http.deletePods(NS),
                            seq -> t.createPod(NS, "p-" + seq, 0));
                    http.createPod(NS, "target", 0);
                }
            }
        } finally {
            noRules.run();
        }
    }

    /**
     * The rate of {@code op} with no rules and with the idle rules, in alternating windows (which goes first
     * alternates too, so that a drift of the machine's load favours neither), each figure the median of its windows:
     * on a machine shared with other work, a window's rate swings more than the rules could move it. {@code reset}
     * runs, untimed, before each window.
     */
    private void compare(DrydockCluster cluster, String op, ApiTarget t, int clients, Runnable noRules,
                         Runnable idleRules, LoadRunner.Step reset, LoadRunner.Op call) throws Exception {
        String name = "chaos.request." + op + "." + t.transport() + "." + clients
                + (clients == 1 ? "_client." : "_clients.");
        List<LoadRunner.Stats> none = new ArrayList<>();
        List<LoadRunner.Stats> rules = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
            for (boolean withRules : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                (withRules ? idleRules : noRules).run();
                check(cluster, withRules ? IDLE_RULES : 0);
                reset.run();
                (withRules ? rules : none).add(runner.run(clients, call));
            }
        }
        noRules.run();
        double noneRate = median(none, LoadRunner.Stats::perSecond);
        double rulesRate = median(rules, LoadRunner.Stats::perSecond);
        printFigure(name + "0_rules.rate", noneRate, "req/s", "%.0f");
        printFigure(name + "0_rules.p50", median(none, w -> w.percentileMillis(0.5)), "ms", "%.3f");
        printFigure(name + IDLE_RULES + "_idle_rules.rate", rulesRate, "req/s", "%.0f");
        printFigure(name + IDLE_RULES + "_idle_rules.p50", median(rules, w -> w.percentileMillis(0.5)), "ms",
                "%.3f");
        printFigure(name + "rate_with_" + IDLE_RULES + "_idle_rules_vs_0", rulesRate / noneRate, "x", "%.3f");
    }

    private static double median(List<LoadRunner.Stats> windows,
                                 java.util.function.ToDoubleFunction<LoadRunner.Stats> f) {
        double[] v = windows.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * What the rules cost one request by themselves: the nanoseconds of {@link Network#check} of a client's link to
     * the API server, on a network of its own with no rules and with the same 100 idle one-way cuts the cluster gets
     * (each request checks its link twice, there and back).
     */
    private void checkCost() {
        Network network = new Network(16);
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            double none = nanosPerCheck(network);
            List<LinkRule> idle = new ArrayList<>();
            for (int i = 0; i < IDLE_RULES; i++) {
                idle.add(LinkRule.cut(List.of("client:idle-" + i), List.of(Network.API_SERVER)));
            }
            network.add(idle.toArray(LinkRule[]::new));
            double rules = nanosPerCheck(network);
            network.remove(idle.toArray(LinkRule[]::new));
            if (round == 1) {
                printFigure("chaos.net.check.0_rules", none, "ns", "%.1f");
                printFigure("chaos.net.check." + IDLE_RULES + "_idle_rules", rules, "ns", "%.1f");
            }
        }
    }

    private double nanosPerCheck(Network network) {
        int checks = settings.checks();
        long start = System.nanoTime();
        for (int i = 0; i < checks; i++) {
            network.check(Network.TEST, Network.API_SERVER);
            network.check(Network.API_SERVER, Network.TEST);
        }
        return (System.nanoTime() - start) / (2.0 * checks);
    }

    private static void check(DrydockCluster cluster, int rules) {
        int active = cluster.networkFaults().active().size();
        if (active != rules) {
            throw new IllegalStateException("expected " + rules + " network faults in force, found " + active);
        }
    }

    // ---- watches that a cut breaks

    /**
     * A watch held open by some client, whose break the benchmark waits for.
     *
     * @param ended  completes with how the client saw its watch end
     * @param seen   the names of the ConfigMaps it has seen, each completed when first seen
     * @param closer what closes the watch and its client
     */
    private record HeldWatch(CompletableFuture<String> ended, Sightings seen, Closer closer)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** How a held watch is closed. */
    @FunctionalInterface
    private interface Closer {
        void close() throws Exception;
    }

    /** A future per name, completed when a watch first delivers that name. */
    private static final class Sightings {
        private final ConcurrentHashMap<String, CompletableFuture<Void>> names = new ConcurrentHashMap<>();

        CompletableFuture<Void> of(String name) {
            return names.computeIfAbsent(name, n -> new CompletableFuture<>());
        }

        void add(String name) {
            of(name).complete(null);
        }
    }

    @FunctionalInterface
    private interface Opener {
        HeldWatch open(ClientIdentity id) throws Exception;
    }

    private void watchBreaks(DrydockCluster cluster) throws Exception {
        breaks(cluster, "in_process.drydock_client", id -> inProcessWatch(id));
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        breaks(cluster, "http.java_net_http_stream", id -> httpWatch(jdk, cluster, id));
        breaks(cluster, "http.fabric8", id -> fabric8Watch(id));
    }

    private void breaks(DrydockCluster cluster, String client, Opener opener) throws Exception {
        List<Double> millis = new ArrayList<>();
        String how = null;
        for (int r = 0; r < settings.repetitions(); r++) {
            ClientIdentity id = cluster.identity("watcher-" + client.replaceAll("[^a-z0-9]", "-") + "-" + r);
            try (HeldWatch w = opener.open(id)) {
                String probe = "probe-" + r;
                cluster.client().create(CONFIG_MAPS, NS, configMap(probe));
                // the watch is open and delivering (or it ended, which fails the run)
                CompletableFuture.anyOf(w.seen().of(probe), w.ended()).get(BREAK_PATIENCE.toSeconds(),
                        TimeUnit.SECONDS);
                if (w.ended().isDone()) {
                    throw new IllegalStateException(client + ": the watch ended before the cut: " + w.ended().join());
                }
                long start = System.nanoTime();
                try (NetworkFault cut = cluster.networkFaults().isolate(id.party())) {
                    how = w.ended().get(BREAK_PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                cluster.client().delete(CONFIG_MAPS, NS, probe);
            }
        }
        Collections.sort(millis);
        String name = "chaos.watch_break." + client;
        printFigure(name + ".p50", millis.get(millis.size() / 2), "ms", "%.0f");
        printFigure(name + ".max", millis.get(millis.size() - 1), "ms", "%.0f");
        out.println("# " + name + (client.contains("fabric8") ? " (fabric8 kubernetes-client "
                + io.fabric8.kubernetes.client.Version.clientVersion() + ", reconnects off)" : "")
                + ": isolate(client identity) -> the client saw: " + how);
    }

    private static HeldWatch inProcessWatch(ClientIdentity id) {
        KubeClient client = id.client();
        CompletableFuture<String> ended = new CompletableFuture<>();
        Sightings seen = new Sightings();
        Watch watch = client.watch(CONFIG_MAPS, NS, "0", java.util.Map.of(), new WatchHandler() {
            @Override
            public void onEvent(String type, ObjectNode object) {
                seen.add(Json.name(object));
            }

            @Override
            public void onClose(ApiException error) {
                ended.complete(error == null ? "the watch ended normally" : "onClose(" + error.getMessage() + ")");
            }
        });
        return new HeldWatch(ended, seen, watch::close);
    }

    private static HeldWatch httpWatch(HttpClient jdk, DrydockCluster cluster, ClientIdentity id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + "/api/v1/namespaces/" + NS
                        + "/configmaps?watch=1&resourceVersion=0"))
                .header("Authorization", "Bearer " + id.token()).header("Accept", "application/json").build();
        HttpResponse<InputStream> response = jdk.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IllegalStateException("watch over HTTP answered " + response.statusCode());
        }
        CompletableFuture<String> ended = new CompletableFuture<>();
        Sightings seen = new Sightings();
        InputStream body = response.body();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    seen.add(Json.name(Json.parse(line.getBytes(StandardCharsets.UTF_8)).path("object")));
                }
                ended.complete("end of stream");
            } catch (IOException e) {
                ended.complete("I/O error: " + e);
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            }
        }, "bench-chaos-http-watch");
        reader.setDaemon(true);
        reader.start();
        return new HeldWatch(ended, seen, () -> {
            body.close();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        });
    }

    private static HeldWatch fabric8Watch(ClientIdentity id) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(id.kubeconfig()));
        config.setWatchReconnectLimit(0); // a break reaches the watcher rather than a silent retry
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        CompletableFuture<String> ended = new CompletableFuture<>();
        Sightings seen = new Sightings();
        io.fabric8.kubernetes.client.Watch watch;
        try {
            watch = client.configMaps().inNamespace(NS).watch(new Watcher<ConfigMap>() {
                @Override
                public void eventReceived(Action action, ConfigMap resource) {
                    seen.add(resource.getMetadata().getName());
                }

                @Override
                public void onClose(WatcherException cause) {
                    ended.complete("Watcher.onClose(" + cause.getMessage() + ")");
                }

                @Override
                public void onClose() {
                    ended.complete("Watcher.onClose() without an error");
                }
            });
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new HeldWatch(ended, seen, () -> {
            watch.close();
            client.close();
        });
    }

    private static ObjectNode configMap(String name) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", name);
        return cm;
    }

    private void printFigure(String name, double value, String unit, String format) {
        out.println(name + " " + String.format(format, value) + " " + unit);
    }
}
