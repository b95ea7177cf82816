package dev.drydock.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * N watchers of one namespace's pods each wait for the same event, R times: for each event, the time from just before
 * the create request that makes it until each watcher has it. R events first warm up each server's code paths (the
 * first also proves every watcher is registered); they are not counted. The client side costs no thread per watcher (one small executor for the
 * HTTP client, none in process), so the JVM's thread count while they are open is the servers'.
 */
final class WatchBenchmark {

    /**
     * What one run saw.
     *
     * @param latencies      every delivery of a counted event, sorted, in nanoseconds
     * @param allSeen        per counted event, sorted: the time until the last watcher had it
     * @param missed         deliveries that did not arrive within the wait
     * @param threadsBefore  the JVM's live threads before the watchers opened
     * @param threadsOpen    the JVM's live threads while the watchers were open
     * @param threadNames    the live threads while they were open, by name with digits folded, most first
     * @param endedEarly     watches that ended (or failed) before the last event, with the first reason
     */
    record Result(int watchers, int events, long[] latencies, long[] allSeen, long missed, int threadsBefore,
                  int threadsOpen, String threadNames, String endedEarly) {

        double percentileMillis(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration EVENT = Duration.ofSeconds(30);
    private static final int BATCH = 100;

    private final int watchers;
    private final int events;

    WatchBenchmark(int watchers, int events) {
        this.watchers = watchers;
        this.events = events;
    }

    /** Watchers over HTTP streaming ({@code ?watch=true}, one JSON event per line), as client-go watches. */
    Result overHttp(ApiTarget.Http target, String namespace) throws Exception {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        ExecutorService executor = Executors.newFixedThreadPool(2, daemon("bench-watch-client"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Recorder rec = new Recorder();
        List<Flow.Subscription> subscriptions = new ArrayList<>();
        try {
            URI uri = URI.create(target.baseUrl() + "/api/v1/namespaces/" + namespace + "/pods?watch=true");
            for (int from = 0; from < watchers; from += BATCH) {
                List<CompletableFuture<Integer>> ready = new ArrayList<>();
                for (int w = from; w < Math.min(watchers, from + BATCH); w++) {
                    int me = w;
                    CompletableFuture<Integer> status = new CompletableFuture<>();
                    ready.add(status);
                    client.sendAsync(java.net.http.HttpRequest.newBuilder(uri).header("Accept", "application/json")
                            .build(), info -> {
                                status.complete(info.statusCode());
                                return HttpResponse.BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
                                    @Override
                                    public void onSubscribe(Flow.Subscription s) {
                                        synchronized (subscriptions) {
                                            subscriptions.add(s);
                                        }
                                        s.request(Long.MAX_VALUE);
                                    }

                                    @Override
                                    public void onNext(String line) {
                                        rec.saw(me, roundOf(line));
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        rec.ended(t.toString());
                                    }

                                    @Override
                                    public void onComplete() {
                                        rec.ended("the server ended the response");
                                    }
                                });
                            }).whenComplete((r, e) -> {
                                if (e != null) {
                                    status.completeExceptionally(e);
                                }
                            });
                }
                for (CompletableFuture<Integer> s : ready) {
                    int code = s.get(READY.toSeconds(), TimeUnit.SECONDS);
                    if (code != 200) {
                        throw new IllegalStateException(target.server() + ": a watch answered " + code);
                    }
                }
            }
            return measure(rec, before, n -> target.createPod(namespace, n, 0));
        } finally {
            synchronized (subscriptions) {
                subscriptions.forEach(Flow.Subscription::cancel);
            }
            executor.shutdownNow();
        }
    }

    /** Watchers over WebSocket, the only way fabric8's mock server serves a watch (and fabric8's client's default). */
    Result overWebSocket(ApiTarget.Http target, String namespace) throws Exception {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        ExecutorService executor = Executors.newFixedThreadPool(2, daemon("bench-watch-client"));
        HttpClient client = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build();
        Recorder rec = new Recorder();
        List<WebSocket> sockets = new ArrayList<>();
        try {
            URI uri = URI.create(target.baseUrl().replaceFirst("^http", "ws") + "/api/v1/namespaces/" + namespace
                    + "/pods?watch=true");
            for (int from = 0; from < watchers; from += BATCH) {
                List<CompletableFuture<WebSocket>> ready = new ArrayList<>();
                for (int w = from; w < Math.min(watchers, from + BATCH); w++) {
                    int me = w;
                    ready.add(client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                rec.saw(me, roundOf(text));
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                            rec.ended("closed by the server: " + statusCode + " " + reason);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            rec.ended(error.toString());
                        }
                    }));
                }
                for (CompletableFuture<WebSocket> s : ready) {
                    sockets.add(s.get(READY.toSeconds(), TimeUnit.SECONDS));
                }
            }
            return measure(rec, before, n -> target.createPod(namespace, n, 0));
        } finally {
            sockets.forEach(WebSocket::abort);
            executor.shutdownNow();
        }
    }

    /** Watchers through drydock's in-process transport, as the cluster's own components watch. */
    Result inProcess(ApiTarget.InProcess target, String namespace) throws Exception {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        Recorder rec = new Recorder();
        List<Watch> open = new ArrayList<>();
        try {
            for (int w = 0; w < watchers; w++) {
                int me = w;
                open.add(target.client().watch(Resource.PODS, namespace, "0", Map.of(), new WatchHandler() {
                    @Override
                    public void onEvent(String type, ObjectNode object) {
                        String name = Json.name(object);
                        if (name != null) {
                            rec.saw(me, roundOf("\"" + name + "\""));
                        }
                    }

                    @Override
                    public void onClose(ApiException error) {
                        rec.ended(error == null ? "ended by the server" : error.getMessage());
                    }
                }));
            }
            return measure(rec, before, n -> target.createPod(namespace, n, 0));
        } finally {
            open.forEach(Watch::close);
        }
    }

    /** Warm-up events, then counted ones. */
    /**
     * The floor under any figure of {@link #overHttp} on this machine: as many loopback TCP connections as watchers,
     * within this JVM, one thread writing a piece of {@code pieceBytes} (about one watch event) to each in turn and
     * one selector thread reading them all: no HTTP, no JSON, no API server. Timed as the watchers are: from just
     * before the writes of a round until each connection has its piece; the first half of the rounds only warm up.
     *
     * @return every counted delivery, sorted, in nanoseconds
     */
    long[] loopbackFloor(int pieceBytes) throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("bench-watch-floor-writer"));
        List<SocketChannel> servers = new ArrayList<>();
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), watchers);
             Selector selector = Selector.open()) {
            for (int w = 0; w < watchers; w++) {
                SocketChannel client = SocketChannel.open(
                        listener.getLocalAddress());
                clients.add(client);
                servers.add(listener.accept());
                client.configureBlocking(false);
                client.register(selector, SelectionKey.OP_READ, w);
            }
            byte[] piece = new byte[pieceBytes];
            long[] read = new long[watchers];
            long[] latencies = new long[events * watchers];
            int n = 0;
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            for (int r = 0; r < rounds(); r++) {
                long due = (long) (r + 1) * pieceBytes;
                long t0 = System.nanoTime();
                long deadline = t0 + EVENT.toNanos();
                writer.execute(() -> {
                    try {
                        for (SocketChannel s : servers) {
                            s.write(ByteBuffer.wrap(piece)); // blocking: all of it
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                int complete = 0;
                while (complete < watchers && System.nanoTime() < deadline) {
                    selector.select(100);
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        int w = (Integer) key.attachment();
                        buffer.clear();
                        int got = ((SocketChannel) key.channel()).read(buffer);
                        if (got > 0 && read[w] < due && (read[w] += got) >= due) {
                            complete++;
                            if (r >= events) {
                                latencies[n++] = now - t0;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
                if (complete < watchers) {
                    throw new IllegalStateException("the loopback floor: " + (watchers - complete)
                            + " connections did not get round " + r + " within " + EVENT);
                }
            }
            Arrays.sort(latencies, 0, n);
            return Arrays.copyOf(latencies, n);
        } finally {
            writer.shutdownNow();
            for (SocketChannel c : clients) {
                c.close();
            }
            for (SocketChannel c : servers) {
                c.close();
            }
        }
    }

    private int rounds() {
        return 2 * events;
    }

    @FunctionalInterface
    private interface Trigger {
        void create(String podName) throws Exception;
    }

    private Result measure(Recorder rec, int before, Trigger trigger) throws Exception {
        for (int r = 0; r < rounds(); r++) {
            rec.t0[r] = System.nanoTime();
            trigger.create("ev-" + r);
            rec.arrived[r].await((r == 0 ? READY : EVENT).toMillis(), TimeUnit.MILLISECONDS);
        }
        int open = ManagementFactory.getThreadMXBean().getThreadCount();
        Map<String, Long> byName = Thread.getAllStackTraces().keySet().stream().collect(Collectors.groupingBy(
                t -> t.getName().replaceAll("\\d+", "N"), Collectors.counting()));
        String names = byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8).map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
        long[] latencies = new long[events * watchers];
        long[] allSeen = new long[events];
        int n = 0;
        int complete = 0;
        long missed = 0;
        for (int r = events; r < rounds(); r++) {
            long last = 0;
            for (int w = 0; w < watchers; w++) {
                long at = rec.seen[r][w];
                if (at == 0) {
                    missed++;
                } else {
                    latencies[n++] = at - rec.t0[r];
                    last = Math.max(last, at - rec.t0[r]);
                }
            }
            if (rec.arrived[r].getCount() == 0) {
                allSeen[complete++] = last;
            }
        }
        latencies = Arrays.copyOf(latencies, n);
        allSeen = Arrays.copyOf(allSeen, complete);
        Arrays.sort(latencies);
        Arrays.sort(allSeen);
        String ended = rec.endedCount.get() == 0 ? null : rec.endedCount.get() + " (first: " + rec.firstEnd + ")";
        rec.measuring = false;
        return new Result(watchers, events, latencies, allSeen, missed, before, open, names, ended);
    }

    /** Which event a watcher's message is about: the number in the pod name {@code ev-N}, or -1. */
    static int roundOf(CharSequence message) {
        String s = message.toString();
        int i = s.indexOf("\"ev-");
        if (i < 0) {
            return -1;
        }
        int r = 0;
        int j = i + 4;
        for (; j < s.length() && j < i + 12 && Character.isDigit(s.charAt(j)); j++) {
            r = r * 10 + (s.charAt(j) - '0');
        }
        return j > i + 4 && j < s.length() && s.charAt(j) == '"' ? r : -1;
    }

    /** When each watcher first had each event. */
    private final class Recorder {
        final long[] t0 = new long[rounds()];
        final long[][] seen = new long[rounds()][watchers];
        final CountDownLatch[] arrived = new CountDownLatch[rounds()];
        final AtomicInteger endedCount = new AtomicInteger();
        volatile String firstEnd;
        /** Ends after the last event are the benchmark closing its watchers, not failures. */
        volatile boolean measuring = true;

        Recorder() {
            for (int r = 0; r < rounds(); r++) {
                arrived[r] = new CountDownLatch(watchers);
            }
        }

        void ended(String why) {
            if (measuring && endedCount.getAndIncrement() == 0) {
                firstEnd = why;
            }
        }

        void saw(int watcher, int round) {
            if (round < 0 || round >= rounds()) {
                return;
            }
            long now = System.nanoTime();
            synchronized (seen[round]) {
                if (seen[round][watcher] != 0) {
                    return; // e.g. a MODIFIED after the ADDED
                }
                seen[round][watcher] = now;
            }
            arrived[round].countDown();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
