package dev.drydock.samples;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code bench api}: drydock's API server against fabric8's mock server (CRUD mode, as
 * {@code @EnableKubernetesMockClient(crud = true)} starts it), in the same JVM and the same run, with the same
 * client: {@code java.net.http} sending raw JSON over HTTP/1.1, so that neither server is measured through a client's
 * object mapping. drydock is also measured in process, through its own {@code KubeClient}. drydock runs as an API
 * server alone ({@link ClusterSpec#apiServerOnly()}), as the mock is one.
 *
 * <p>For each of create, get, a LIST of a namespace's pods, the same LIST with a label selector matching one in ten,
 * and a merge patch: requests per second and p50/p99 latency from 1, 8 and 64 concurrent clients, each sending its
 * next request when its last is answered; the same for a server-side apply of one annotation, drydock only (the mock
 * takes no apply). Then N watchers of one namespace each wait for the same events (time from
 * the create to each watcher), with the JVM's thread count while they are open, and the floor under the HTTP figure
 * on this machine: as many loopback connections, each sent one event's bytes by one thread and read by one selector
 * (no HTTP, no server). Then the live heap (after a full GC)
 * before and after storing M pods, for drydock's API server alone, a whole drydock cluster (no nodes: the scheduler's
 * and controllers' informers hold their copies) and the mock. Then exec round trips against a cluster of one fake
 * node (the mock has no exec to compare with).
 */
final class ApiBenchmark {

    private static final String CREATE_NS = "bench-create";
    private static final String LIST_NS = "bench-list";
    private static final String WATCH_NS = "bench-watch";
    private static final String SELECTOR = "shard=3";

    /** What to run: every figure is bounded in count and time. */
    record Settings(Duration window, Duration warmUp, long maxRequests, int objects, List<Integer> clients,
                    int watchers, int watchEvents, int heapPods, Set<String> only, int histogram, int rounds) {

        /** The parts {@code --only} may name, in the order they run. */
        static final List<String> PARTS = List.of("ops", "watch", "exec", "heap");

        static Settings parse(List<String> args) {
            boolean quick = args.contains("--quick");
            double seconds = quick ? 0.5 : 3;
            int watchers = quick ? 100 : 1000;
            int heapPods = quick ? 2000 : 10_000;
            int objects = 1000;
            Set<String> only = new LinkedHashSet<>(PARTS);
            int histogram = 0;
            int rounds = quick ? 1 : 3;
            for (String a : args) {
                if (a.equals("--quick")) {
                    continue;
                } else if (a.matches("--heap-histogram=\\d+")) {
                    histogram = Integer.parseInt(value(a));
                } else if (a.matches("--seconds=\\d+(\\.\\d+)?")) {
                    seconds = Double.parseDouble(value(a));
                } else if (a.matches("--rounds=\\d+")) {
                    rounds = Integer.parseInt(value(a));
                } else if (a.matches("--watchers=\\d+")) {
                    watchers = Integer.parseInt(value(a));
                } else if (a.matches("--heap-pods=\\d+")) {
                    heapPods = Integer.parseInt(value(a));
                } else if (a.matches("--objects=\\d+0")) {
                    objects = Integer.parseInt(value(a));
                } else if (a.startsWith("--only=")) {
                    only = new LinkedHashSet<>(List.of(value(a).split(",")));
                    if (only.isEmpty() || !PARTS.containsAll(only)) {
                        throw new IllegalArgumentException("bench api: --only takes some of " + PARTS + " (" + USAGE
                                + ")");
                    }
                } else {
                    throw new IllegalArgumentException("bench api: unknown option " + a + " (" + USAGE + ")");
                }
            }
            if (seconds <= 0 || seconds > 600 || watchers < 1 || watchers > 10_000 || heapPods < 1
                    || heapPods > 1_000_000 || objects < 10 || objects > 100_000 || rounds < 1 || rounds > 20) {
                throw new IllegalArgumentException("bench api: out of range (" + USAGE + ")");
            }
            Duration window = Duration.ofMillis((long) (seconds * 1000));
            return new Settings(window, window.dividedBy(3), 100_000, objects, List.of(1, 8, 64), watchers,
                    quick ? 5 : 20, heapPods, only, histogram, rounds);
        }

        private static String value(String option) {
            return option.substring(option.indexOf('=') + 1);
        }
    }

    static final String USAGE = "--quick, --seconds=S per figure (3; quick 0.5), --watchers=N (1000; quick 100), "
            + "--heap-pods=N (10000; quick 2000), --objects=N listed, a multiple of 10 (1000), "
            + "--only=PART,... of ops, watch, exec, heap (all; the closing table and targets only with all), "
            + "--heap-histogram=N (after each heap figure, the N classes whose live heap grew most)";

    private final PrintStream out;
    private final Settings settings;
    private final LoadRunner runner;
    private final LoadRunner roundRunner;
    /** Figures kept for the closing table: metric name to value. */
    private final Map<String, Double> figures = new LinkedHashMap<>();

    private ApiBenchmark(PrintStream out, Settings settings) {
        this.out = out;
        this.settings = settings;
        this.runner = new LoadRunner(settings.warmUp(), settings.window(), settings.maxRequests());
        this.roundRunner = new LoadRunner(settings.warmUp().dividedBy(settings.rounds()),
                settings.window().dividedBy(settings.rounds()), settings.maxRequests());
    }

    static void run(PrintStream out, Settings settings) throws Exception {
        new ApiBenchmark(out, settings).run();
    }

    private void run() throws Exception {
        out.printf("# bench api: %d cores; every operation warmed for one window, then %s per figure in %d rounds taken in turn with the other servers', each after a %s warm-up (a rate is the median round's); LIST of %d pods (%s matches %d); "
                        + "%d watchers, %d events; heap for %d pods%n",
                Runtime.getRuntime().availableProcessors(), seconds(settings.window()), settings.rounds(),
                seconds(settings.warmUp().dividedBy(settings.rounds())),
                settings.objects(), SELECTOR, settings.objects() / 10, settings.watchers(), settings.watchEvents(),
                settings.heapPods());
        out.println("# HTTP: java.net.http, HTTP/1.1, raw JSON, for both servers; in process: drydock's KubeClient");
        out.println("# load average at start: " + loadAverage() + " (other work on the machine skews every figure)");
        if (settings.only().contains("ops")) {
            operations();
        }
        if (settings.only().contains("watch")) {
            watches();
        }
        if (settings.only().contains("exec")) {
            execs();
        }
        if (settings.only().contains("heap")) {
            heap();
        }
        if (settings.only().containsAll(Settings.PARTS)) {
            table();
        }
        out.println("# load average at end: " + loadAverage());
    }

    private void operations() throws Exception {
        try (DrydockCluster drydock = DrydockCluster.start(ClusterSpec.create().name("bench-api").apiServerOnly()
                .seed(1));
             Mock mock = Mock.start()) {
            ApiTarget.Http drydockHttp = new ApiTarget.Http("drydock", drydock.apiUrl());
            ApiTarget.Http mockHttp = new ApiTarget.Http("mock", mock.url());
            ApiTarget.InProcess inProcess = new ApiTarget.InProcess(drydock.client());
            List<ApiTarget> targets = List.of(drydockHttp, mockHttp, inProcess);
            for (ApiTarget.Http t : List.of(drydockHttp, mockHttp)) {
                t.createNamespace(CREATE_NS);
                t.createNamespace(LIST_NS);
            }
            operations(targets, drydockHttp, mockHttp);
        }
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    // ---- create, get, list, patch

    private void operations(List<ApiTarget> targets, ApiTarget.Http drydockHttp, ApiTarget.Http mockHttp)
            throws Exception {
        int objects = settings.objects();
        for (ApiTarget.Http t : List.of(drydockHttp, mockHttp)) {
            new LoadRunner(Duration.ZERO, Duration.ZERO, 0).runCount(8, objects, Duration.ofMinutes(5),
                    seq -> t.createPod(LIST_NS, "p-" + seq, (int) (seq % 10)));
        }
        warmUp(targets, drydockHttp, mockHttp);
        for (int clients : settings.clients()) {
            // Each window creates at most `objects` pods into a namespace the warm-up's pods were deleted from: the
            // mock's create looks through every stored object, so how many it holds changes its figure.
            inTurn("create", targets, clients, objects, t -> cleaner(t, drydockHttp, mockHttp)::deletePods,
                    t -> seq -> t.createPod(CREATE_NS, "p-" + seq, (int) (seq % 10)));
            cleaner(targets.get(0), drydockHttp, mockHttp).deletePods(CREATE_NS);
            cleaner(targets.get(1), drydockHttp, mockHttp).deletePods(CREATE_NS);
        }
        for (ApiTarget t : targets) {
            check(t, null, objects);
            check(t, SELECTOR, objects / 10);
        }
        for (ApiTarget.Http t : List.of(drydockHttp, mockHttp)) {
            String name = "api.bytes." + t.server();
            printFigure(name + ".pod", t.getPod(LIST_NS, "p-0"), "B", "%.0f");
            printFigure(name + ".list", t.listPods(LIST_NS, null), "B", "%.0f");
            printFigure(name + ".list_selector", t.listPods(LIST_NS, SELECTOR), "B", "%.0f");
        }
        for (int clients : settings.clients()) {
            inTurn("get", targets, clients, Long.MAX_VALUE, t -> null,
                    t -> seq -> t.getPod(LIST_NS, "p-" + ThreadLocalRandom.current().nextInt(objects)));
        }
        for (int clients : settings.clients()) {
            inTurn("list", targets, clients, Long.MAX_VALUE, t -> null, t -> seq -> t.listPods(LIST_NS, null));
        }
        for (int clients : settings.clients()) {
            inTurn("list_selector", targets, clients, Long.MAX_VALUE, t -> null,
                    t -> seq -> t.listPods(LIST_NS, SELECTOR));
        }
        for (int clients : settings.clients()) {
            inTurn("patch", targets, clients, Long.MAX_VALUE, t -> null,
                    t -> seq -> t.patchPod(LIST_NS, "p-" + ThreadLocalRandom.current().nextInt(objects), seq));
        }
        for (int clients : settings.clients()) {
            inTurn("apply", appliers(targets), clients, Long.MAX_VALUE, t -> null,
                    t -> seq -> t.applyPod(LIST_NS, "p-" + ThreadLocalRandom.current().nextInt(objects), seq));
        }
    }

    private static ApiTarget.Http cleaner(ApiTarget t, ApiTarget.Http drydockHttp, ApiTarget.Http mockHttp) {
        return t.server().equals("mock") ? mockHttp : drydockHttp;
    }

    /** What a cleaner does before a create window: empties the namespace the creates go to. */
    private interface Cleaner {
        void deletePods(String namespace) throws Exception;
    }

    /**
     * One operation from {@code clients} clients against every target, in {@link Settings#rounds()} rounds taken in
     * turn (drydock over HTTP, the mock, drydock in process, then again), each round a window of its own after its
     * own warm-up: a load that changes on the machine during the figure falls on every server alike. Prints each
     * target's median round rate and the latencies of all its rounds.
     *
     * @param max     the most requests of one round
     * @param between what runs before each round's window (null for nothing)
     */
    private void inTurn(String op, List<ApiTarget> targets, int clients, long max,
                        Function<ApiTarget, Cleaner> between, Function<ApiTarget, LoadRunner.Op> ops)
            throws Exception {
        Map<ApiTarget, List<LoadRunner.Stats>> rounds = new LinkedHashMap<>();
        for (int r = 0; r < settings.rounds(); r++) {
            for (ApiTarget t : targets) {
                Cleaner clean = between.apply(t);
                LoadRunner.Stats s = roundRunner.run(clients, max,
                        clean == null ? () -> { } : () -> clean.deletePods(CREATE_NS), ops.apply(t));
                rounds.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
            }
        }
        rounds.forEach((t, s) -> print(op, t, clients, LoadRunner.Stats.rounds(s)));
    }

    /** The targets that take a server-side apply: drydock's (fabric8's mock refuses it). */
    private static List<ApiTarget> appliers(List<ApiTarget> targets) {
        return targets.stream().filter(t -> t.server().equals("drydock")).toList();
    }

    /**
     * Every operation of every server runs for one window, unmeasured, before the first figure: otherwise the first
     * figures (creates from one client) would time the JIT compiling each server's code paths rather than the paths.
     */
    private void warmUp(List<ApiTarget> targets, ApiTarget.Http drydockHttp, ApiTarget.Http mockHttp)
            throws Exception {
        int objects = settings.objects();
        LoadRunner warm = new LoadRunner(settings.window(), Duration.ZERO, 0);
        for (ApiTarget t : targets) {
            ApiTarget.Http cleaner = t.server().equals("mock") ? mockHttp : drydockHttp;
            warm.run(8, seq -> t.createPod(CREATE_NS, "w-" + seq, (int) (seq % 10)));
            cleaner.deletePods(CREATE_NS);
            warm.run(8, seq -> t.getPod(LIST_NS, "p-" + ThreadLocalRandom.current().nextInt(objects)));
            warm.run(8, seq -> t.listPods(LIST_NS, null));
            warm.run(8, seq -> t.listPods(LIST_NS, SELECTOR));
            warm.run(8, seq -> t.patchPod(LIST_NS, "p-" + ThreadLocalRandom.current().nextInt(objects), seq));
        }
        for (ApiTarget t : appliers(targets)) {
            warm.run(8, seq -> t.applyPod(LIST_NS, "p-" + ThreadLocalRandom.current().nextInt(objects), seq));
        }
    }

    /** A list that does not hold what it should would make any speed meaningless. */
    private static void check(ApiTarget t, String selector, int expected) throws Exception {
        int items = t.countPods(LIST_NS, selector);
        if (items != expected) {
            throw new IllegalStateException(t.server() + " (" + t.transport() + ") lists " + items + " pods"
                    + (selector == null ? "" : " for " + selector) + ", not " + expected);
        }
    }

    private void print(String op, ApiTarget t, int clients, LoadRunner.Stats s) {
        String name = "api." + op + "." + t.transport() + "." + clients + (clients == 1 ? "_client." : "_clients.")
                + t.server();
        printFigure(name + ".rate", s.perSecond(), "req/s", "%.0f");
        printFigure(name + ".p50", s.percentileMillis(0.5), "ms", "%.3f");
        printFigure(name + ".p99", s.percentileMillis(0.99), "ms", "%.3f");
    }

    // ---- watch

    /** Each kind of watcher against a server of its own: no run's threads or connections linger into the next. */
    private void watches() throws Exception {
        int n = settings.watchers();
        WatchBenchmark bench = new WatchBenchmark(n, settings.watchEvents());
        out.println("# the mock serves watches over WebSocket only; drydock's HTTP watches stream one event a line");
        String base = "api.watch." + n + "_watchers.";
        try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().name("bench-watch").apiServerOnly()
                .seed(4))) {
            ApiTarget.Http t = new ApiTarget.Http("drydock", c.apiUrl());
            t.createNamespace(WATCH_NS);
            print(base + "http.drydock", bench.overHttp(t, WATCH_NS));
            int eventBytes = t.getPod(WATCH_NS, "ev-0") + 20; // an event line: the object and its type
            long[] floor = bench.loopbackFloor(eventBytes);
            printFigure(base + "loopback_floor.p50", floor[floor.length / 2] / 1e6, "ms", "%.2f");
            printFigure(base + "loopback_floor.p99", floor[(int) Math.ceil(0.99 * floor.length) - 1] / 1e6, "ms",
                    "%.2f");
        }
        try (Mock mock = Mock.start()) {
            ApiTarget.Http t = new ApiTarget.Http("mock", mock.url());
            t.createNamespace(WATCH_NS);
            print(base + "websocket.mock", bench.overWebSocket(t, WATCH_NS));
        }
        try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().name("bench-watch-in-process")
                .apiServerOnly().seed(5))) {
            ApiTarget.InProcess t = new ApiTarget.InProcess(c.client());
            t.createNamespace(WATCH_NS);
            print(base + "in_process.drydock", bench.inProcess(t, WATCH_NS));
        }
    }

    private void print(String name, WatchBenchmark.Result r) {
        printFigure(name + ".p50", r.percentileMillis(r.latencies(), 0.5), "ms", "%.2f");
        printFigure(name + ".p99", r.percentileMillis(r.latencies(), 0.99), "ms", "%.2f");
        printFigure(name + ".max", r.percentileMillis(r.latencies(), 1.0), "ms", "%.2f");
        printFigure(name + ".all_seen_p50", r.percentileMillis(r.allSeen(), 0.5), "ms", "%.2f");
        printFigure(name + ".missed", r.missed(), "deliveries", "%.0f");
        printFigure(name + ".jvm_threads_before", r.threadsBefore(), "threads", "%.0f");
        printFigure(name + ".jvm_threads_open", r.threadsOpen(), "threads", "%.0f");
        printFigure(name + ".jvm_threads_added", r.threadsOpen() - r.threadsBefore(), "threads", "%.0f");
        out.println("# " + name + " threads while open: " + r.threadNames());
        if (r.endedEarly() != null) {
            out.println("# " + name + ": watches that ended before the last event: " + r.endedEarly());
        }
    }

    // ---- exec

    /** exec over WebSocket against a cluster of one fake node: whole execs, and round trips through an open one. */
    private void execs() throws Exception {
        out.println("# exec: a cluster of one fake node; v5.channel.k8s.io over java.net.http's WebSocket; "
                + "run_true = upgrade, run, Success status, close; stdin_echo = a byte through cat and back");
        try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().name("bench-exec").nodes(1).seed(6));
             ExecBenchmark bench = new ExecBenchmark(c.apiUrl())) {
            for (int clients : List.of(1, 8)) {
                String k = clients + (clients == 1 ? "_client" : "_clients");
                printExec("api.exec.run_true." + k, runner.run(clients, seq -> bench.execTrue()));
                printExec("api.exec.stdin_echo." + k, runner.run(clients, seq -> bench.roundTrip()));
            }
        }
    }

    private void printExec(String name, LoadRunner.Stats s) {
        printFigure(name + ".rate", s.perSecond(), "req/s", "%.0f");
        printFigure(name + ".p50", s.percentileMillis(0.5), "ms", "%.3f");
        printFigure(name + ".p99", s.percentileMillis(0.99), "ms", "%.3f");
    }

    // ---- heap

    private void heap() throws Exception {
        String base = "api.heap." + settings.heapPods() + "_pods.";
        try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().name("bench-heap").apiServerOnly()
                .seed(2))) {
            heap(base + "drydock_api_only", new ApiTarget.Http("drydock", c.apiUrl()), () -> { });
        }
        try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create().name("bench-heap-cluster").nodes(0)
                .seed(3))) {
            heap(base + "drydock_cluster", new ApiTarget.Http("drydock", c.apiUrl()),
                    () -> c.awaitQuiet(Duration.ofSeconds(1), Duration.ofMinutes(2)));
        }
        try (Mock mock = Mock.start()) {
            heap(base + "mock", new ApiTarget.Http("mock", mock.url()), () -> { });
        }
    }

    private void heap(String name, ApiTarget.Http t, LoadRunner.Step settle) throws Exception {
        t.createNamespace("bench-heap");
        t.createPod("bench-heap", "first", 0); // every code path of a create has run once
        settle.run();
        long before = liveHeap();
        Map<String, long[]> histogramBefore = settings.histogram() > 0 ? HeapHistogram.take() : Map.of();
        new LoadRunner(Duration.ZERO, Duration.ZERO, 0).runCount(8, settings.heapPods(), Duration.ofMinutes(10),
                seq -> t.createPod("bench-heap", "h-" + seq, (int) (seq % 10)));
        settle.run();
        long after = liveHeap();
        if (settings.histogram() > 0) {
            HeapHistogram.printGrowth(out, "# " + name + " ", histogramBefore, HeapHistogram.take(),
                    settings.histogram());
        }
        printFigure(name + ".live_before", before / 1e6, "MB", "%.1f");
        printFigure(name + ".live_after", after / 1e6, "MB", "%.1f");
        printFigure(name + ".per_pod", (after - before) / (double) settings.heapPods(), "B", "%.0f");
    }

    /** The lowest heap in use right after each of three full GCs. */
    private static long liveHeap() throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            lowest = Math.min(lowest, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            Thread.sleep(100); // lets a concurrent cycle or reference processing finish between samples
        }
        return lowest;
    }

    // ---- output

    private void printFigure(String name, double value, String unit, String format) {
        figures.put(name, value);
        out.println(name + " " + String.format(Locale.ROOT, format, value) + " " + unit);
    }

    /** drydock against the mock, one line per operation and client count, and the targets. */
    private void table() {
        out.println("# op             clients  drydock http         mock http            drydock/mock  in-process");
        for (String op : List.of("create", "get", "list", "list_selector", "patch")) {
            for (int c : settings.clients()) {
                String k = c + (c == 1 ? "_client." : "_clients.");
                String d = "api." + op + ".http." + k + "drydock.";
                String m = "api." + op + ".http." + k + "mock.";
                String i = "api." + op + ".in_process." + k + "drydock.";
                out.printf(Locale.ROOT, "# %-14s %7d  %-20s %-20s %11.2fx  %s%n", op, c, cell(d), cell(m),
                        figures.get(d + "rate") / figures.get(m + "rate"), cell(i));
            }
        }
        for (int c : settings.clients()) {
            String k = c + (c == 1 ? "_client." : "_clients.");
            out.printf(Locale.ROOT, "# %-14s %7d  %-20s %-20s %12s  %s%n", "apply", c,
                    cell("api.apply.http." + k + "drydock."), "(takes no apply)", "",
                    cell("api.apply.in_process." + k + "drydock."));
        }
        String heap = "api.heap." + settings.heapPods() + "_pods.";
        String watch = "api.watch." + settings.watchers() + "_watchers.";
        out.printf(Locale.ROOT, "# targets: creates/s from 1 HTTP client %.2fx the mock's (>= 2x), from 8 %.2fx "
                        + "(>= 3x); LIST with a selector p50 %.3f ms vs %.3f ms (<= the mock's); heap per pod %.0f B "
                        + "(whole cluster %.0f B) vs %.0f B (<= the mock's); watch p99 %.2f ms over HTTP (this "
                        + "machine's loopback floor for as many connections: %.2f ms), %.2f ms in "
                        + "process (< 5 ms); %.0f JVM threads with %d HTTP watchers open (not one per watcher: %.0f added)%n",
                ratio("api.create.http.1_client.", "rate"), ratio("api.create.http.8_clients.", "rate"),
                figures.get("api.list_selector.http.1_client.drydock.p50"),
                figures.get("api.list_selector.http.1_client.mock.p50"),
                figures.get(heap + "drydock_api_only.per_pod"), figures.get(heap + "drydock_cluster.per_pod"),
                figures.get(heap + "mock.per_pod"), figures.get(watch + "http.drydock.p99"),
                figures.get(watch + "loopback_floor.p99"), figures.get(watch + "in_process.drydock.p99"), figures.get(watch + "http.drydock.jvm_threads_open"),
                settings.watchers(), figures.get(watch + "http.drydock.jvm_threads_added"));
    }

    private String cell(String prefix) {
        return String.format(Locale.ROOT, "%7.0f/s %6.3f ms", figures.get(prefix + "rate"),
                figures.get(prefix + "p50"));
    }

    private double ratio(String prefix, String stat) {
        return figures.get(prefix + "drydock." + stat) / figures.get(prefix + "mock." + stat);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }

    /**
     * fabric8's mock server as its JUnit extension starts it in CRUD mode, on 127.0.0.1, with its log of every request
     * (java.util.logging, INFO) turned off, as drydock logs none.
     */
    private static final class Mock implements AutoCloseable {
        /** Held here: java.util.logging keeps loggers only weakly, and a collected one forgets its level. */
        private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

        static {
            QUIET.setLevel(Level.WARNING);
        }

        private final KubernetesMockServer server;

        private Mock(KubernetesMockServer server) {
            this.server = server;
        }

        static Mock start() {
            Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
            KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                    new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
            server.init(InetAddress.getLoopbackAddress(), 0);
            return new Mock(server);
        }

        String url() {
            return "http://127.0.0.1:" + server.getPort();
        }

        @Override
        public void close() {
            server.destroy();
        }
    }
}
