package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.base.Timers;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one probe of a container once, as kube's prober does (exec, httpGet, tcpSocket, grpc), through the runtime
 * SPI and without holding a thread: the runtime's callbacks bring the outcome, and a timer on the cluster's clock
 * ends a probe that outlives its {@code timeoutSeconds}. The outputs are kube's, so that its events read the same.
 */
final class Prober {

    /** kube's probe results: an {@link Outcome#ERROR} is thrown away by the worker (it counts for nothing). */
    enum Outcome { SUCCESS, FAILURE, ERROR }

    /** What one probe found, and its output (what kube's {@code Unhealthy} event shows). */
    record Result(Outcome outcome, String output) {
        static Result success(String output) {
            return new Result(Outcome.SUCCESS, output);
        }

        static Result failure(String output) {
            return new Result(Outcome.FAILURE, output);
        }

        static Result error(String output) {
            return new Result(Outcome.ERROR, output);
        }
    }

    /**
     * What is probed: the container's instance, its sandbox and the pod's IP, and its spec (for named ports).
     */
    record Target(String containerId, String sandboxId, String podIp, JsonNode container) {
    }

    /** As kube's exec prober, the most output a probe keeps (10 KiB). */
    static final int MAX_OUTPUT = 10 * 1024;
    /** The User-Agent kube's HTTP prober sends: {@code kube-probe/<major>.<minor>}. */
    static final String USER_AGENT = "kube-probe/1.32";

    private final ContainerRuntime runtime;
    private final Timers timers;
    private final java.util.concurrent.Executor workers;
    private final Duration timeoutSecond;

    /**
     * @param workers       where a probe's timeout is concluded: behind the work queued before it, so that an answer
     *                      that came in time but waits for a thread still wins
     * @param timeoutSecond how long one second of {@code timeoutSeconds} lasts
     */
    Prober(ContainerRuntime runtime, Timers timers, java.util.concurrent.Executor workers, Duration timeoutSecond) {
        this.runtime = runtime;
        this.timers = timers;
        this.workers = workers;
        this.timeoutSecond = timeoutSecond;
    }

    /**
     * Starts one probe; {@code done} hears its result once, on whichever thread brings it. Returns what cancels it
     * (then {@code done} is not called).
     */
    Runnable probe(ProbeSpec spec, Target target, Consumer<Result> done) {
        Attempt attempt = new Attempt(done);
        if (spec.handler() == null) {
            attempt.finish(Result.error("missing probe handler for container " + target.container().path("name")
                    .asText()));
            return attempt::cancel;
        }
        Duration timeout = timeoutSecond.multipliedBy(spec.timeoutSeconds());
        String kubeTimeout = spec.timeoutSeconds() + "s";
        try {
            if (spec.handler() instanceof ProbeSpec.Exec e) {
                exec(e, target, attempt, timeout);
            } else if (spec.handler() instanceof ProbeSpec.HttpGet h) {
                httpGet(h, target, attempt, timeout);
            } else if (spec.handler() instanceof ProbeSpec.TcpSocket t) {
                tcpSocket(t, target, attempt, timeout);
            } else if (spec.handler() instanceof ProbeSpec.Grpc g) {
                grpc(g, target, attempt, timeout, kubeTimeout);
            }
        } catch (RuntimeError e) {
            attempt.finish(Result.error(e.getMessage()));
        } catch (RejectedExecutionException e) {
            attempt.cancel(); // the cluster is closing
        }
        return attempt::cancel;
    }

    // ---- exec

    private void exec(ProbeSpec.Exec e, Target t, Attempt attempt, Duration timeout) {
        Output output = new Output();
        String command = String.join(" ", e.command());
        attempt.timeout(timeout, Result.failure("command \"" + command + "\" timed out"));
        StreamHandle handle = runtime.exec(t.containerId(), e.command(), new ProcessIo(false, output, output, false,
                new StreamListener() {
                    @Override
                    public void ended(int exitCode) {
                        attempt.finish(exitCode == 0 ? Result.success(output.text())
                                : Result.failure(output.text()));
                    }

                    @Override
                    public void failed(String message) {
                        // the runtime could not run the command (no such executable): a failed probe, as kube's
                        // ExecSync reports it with a non-zero exit code and this message as its output
                        attempt.finish(Result.failure(message));
                    }
                }));
        attempt.handle(handle);
    }

    /**
     * The port a network probe dials, or -1 once {@code attempt} has ended as an error: a named port the container
     * lacks, or a {@code host} other than the pod's own IP.
     */
    private int target(JsonNode portSpec, String host, Target t, Attempt attempt) {
        int port = port(portSpec, t.container());
        if (port < 0) {
            attempt.finish(Result.error(portError(portSpec)));
            return -1;
        }
        if (!host.isEmpty() && !host.equals(t.podIp())) {
            attempt.finish(Result.error("drydock probes only the pod's own IP " + t.podIp() + ", not host " + host));
            return -1;
        }
        return port;
    }

    // ---- httpGet

    private void httpGet(ProbeSpec.HttpGet h, Target t, Attempt attempt, Duration timeout) {
        int port = target(h.port(), h.host(), t, attempt);
        if (port < 0) {
            return;
        }
        if (!h.scheme().equalsIgnoreCase("HTTP")) {
            attempt.finish(Result.error("drydock's httpGet probes speak HTTP only, not scheme " + h.scheme()));
            return;
        }
        String hostPort = t.podIp() + ":" + port;
        String path = h.path().startsWith("/") ? h.path() : "/" + h.path();
        String url = "http://" + hostPort + path;
        attempt.timeout(timeout, Result.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout "
                + "exceeded while awaiting headers)"));
        AtomicBoolean connected = new AtomicBoolean();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteSink response = ByteSink.consumer(data -> {
            synchronized (head) {
                head.write(data, 0, Math.min(data.length, MAX_OUTPUT));
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int eol = text.indexOf("\r\n");
                if (eol >= 0) {
                    attempt.finish(status(text.substring(0, eol), url));
                } else if (head.size() >= MAX_OUTPUT) {
                    attempt.finish(Result.failure("Get \"" + url + "\": net/http: HTTP/1.x transport connection "
                            + "broken: malformed HTTP response"));
                }
            }
        });
        StreamHandle handle = runtime.portForward(t.sandboxId(), port, response, new StreamListener() {
            @Override
            public void connected() {
                connected.set(true);
            }

            @Override
            public void ended(int exitCode) {
                attempt.finish(Result.failure("Get \"" + url + "\": EOF"));
            }

            @Override
            public void failed(String message) {
                attempt.finish(Result.failure("Get \"" + url + "\": " + (connected.get()
                        ? "read tcp " + hostPort + ": connection reset by peer"
                        : "dial tcp " + hostPort + ": connect: connection refused")));
            }
        });
        attempt.handle(handle);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        boolean host = false;
        boolean agent = false;
        boolean accept = false;
        for (var header : h.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            host |= name.equals("host");
            agent |= name.equals("user-agent");
            accept |= name.equals("accept");
        }
        if (!host) {
            request.append("Host: ").append(hostPort).append("\r\n");
        }
        if (!agent) {
            request.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        }
        if (!accept) {
            request.append("Accept: */*\r\n");
        }
        for (var header : h.headers()) {
            request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        handle.input().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** kube's HTTP prober: 200 to 399 is success; otherwise the status code, never the body. */
    private static Result status(String statusLine, String url) {
        String[] parts = statusLine.split(" ", 3);
        int code;
        try {
            code = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 0) {
            return Result.failure("Get \"" + url + "\": net/http: HTTP/1.x transport connection broken: malformed "
                    + "HTTP response \"" + statusLine + "\"");
        }
        if (code >= 200 && code < 400) {
            return Result.success("");
        }
        return Result.failure("HTTP probe failed with statuscode: " + code);
    }

    // ---- tcpSocket

    private void tcpSocket(ProbeSpec.TcpSocket s, Target t, Attempt attempt, Duration timeout) {
        int port = target(s.port(), s.host(), t, attempt);
        if (port < 0) {
            return;
        }
        String hostPort = t.podIp() + ":" + port;
        attempt.timeout(timeout, Result.failure("dial tcp " + hostPort + ": i/o timeout"));
        StreamHandle handle = runtime.portForward(t.sandboxId(), port, ByteSink.DISCARD, new StreamListener() {
            @Override
            public void connected() {
                attempt.finish(Result.success(""));
            }

            @Override
            public void ended(int exitCode) {
                attempt.finish(Result.success("")); // it was connected, whether or not the runtime said so
            }

            @Override
            public void failed(String message) {
                attempt.finish(Result.failure("dial tcp " + hostPort + ": connect: connection refused"));
            }
        });
        attempt.handle(handle);
    }

    // ---- grpc

    private void grpc(ProbeSpec.Grpc g, Target t, Attempt attempt, Duration timeout, String kubeTimeout) {
        String address = t.podIp() + ":" + g.port();
        attempt.timeout(timeout, Result.failure("timeout: health rpc did not complete within " + kubeTimeout));
        java.util.concurrent.CompletionStage<String> call = runtime.grpcHealthCheck(t.sandboxId(), g.port(),
                g.service());
        attempt.handle(new StreamHandle() { // an attempt that ends first (its timeout) cancels the call
            @Override
            public ByteSink input() {
                return null;
            }

            @Override
            public void cancel() {
                try {
                    call.toCompletableFuture().cancel(false);
                } catch (UnsupportedOperationException e) {
                    // a stage that cannot be cancelled ends on its own
                }
            }
        });
        call.whenComplete((status, error) -> {
            if (error == null) {
                attempt.finish("SERVING".equals(status) ? Result.success("service healthy")
                        : Result.failure("service unhealthy (responded with \"" + status + "\")"));
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!(cause instanceof RuntimeError e)) {
                attempt.finish(Result.error(cause.toString()));
                return;
            }
            attempt.finish(switch (e.reason()) {
                case "Unavailable" -> Result.failure("timeout: failed to connect service \"" + address + "\" within "
                        + kubeTimeout + ": context deadline exceeded");
                case "Unimplemented" -> Result.failure("this server does not implement the grpc health protocol "
                        + "(grpc.health.v1.Health): " + e.getMessage());
                case "DeadlineExceeded" -> Result.failure("timeout: health rpc did not complete within "
                        + kubeTimeout);
                case "Unsupported" -> Result.error(e.getMessage());
                default -> Result.failure("error: health rpc probe failed: rpc error: code = " + e.reason()
                        + " desc = " + e.getMessage());
            });
        });
    }

    // ---- ports

    /**
     * kube's {@code ResolveContainerPort}: a number, the name of a container port, or a number as a string; -1 if
     * none.
     */
    static int port(JsonNode port, JsonNode container) {
        int n;
        if (port.isNumber()) {
            n = port.asInt();
        } else {
            String name = port.asText("");
            n = -1;
            for (JsonNode p : container.path("ports")) {
                if (p.path("name").asText("").equals(name) && !name.isEmpty()) {
                    n = p.path("containerPort").asInt();
                    break;
                }
            }
            if (n < 0) {
                try {
                    n = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return n > 0 && n < 65536 ? n : -1;
    }

    /** Why {@link #port} found no port, in kube's words. */
    static String portError(JsonNode port) {
        if (port.isNumber()) {
            return "invalid port number: " + port.asInt();
        }
        String name = port.asText("");
        try {
            return "invalid port number: " + Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return "strconv.Atoi: parsing \"" + name + "\": invalid syntax";
        }
    }

    // ---- one attempt

    /** One probe under way: it ends once (its result, its timeout, or a cancel), and then frees its stream. */
    private final class Attempt {
        private final Consumer<Result> done;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile StreamHandle handle;
        private volatile Timers.Task timer;

        Attempt(Consumer<Result> done) {
            this.done = done;
        }

        void timeout(Duration after, Result result) {
            timer = timers.after(after, () -> {
                try {
                    workers.execute(() -> finish(result));
                } catch (RejectedExecutionException e) {
                    cancel(); // the cluster is closing
                }
            });
            if (over.get()) {
                timer.cancel();
            }
        }

        void handle(StreamHandle h) {
            handle = h;
            if (over.get()) {
                h.cancel();
            }
        }

        void finish(Result result) {
            if (end()) {
                done.accept(result);
            }
        }

        void cancel() {
            end();
        }

        private boolean end() {
            if (!over.compareAndSet(false, true)) {
                return false;
            }
            Timers.Task t = timer;
            if (t != null) {
                t.cancel();
            }
            StreamHandle h = handle;
            if (h != null) {
                h.cancel();
            }
            return true;
        }
    }

    /** A probe's output (stdout and stderr together, as kube's exec prober reads them), up to {@link #MAX_OUTPUT}. */
    private static final class Output implements ByteSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized boolean write(byte[] data) {
            bytes.write(data, 0, Math.max(0, Math.min(data.length, MAX_OUTPUT - bytes.size())));
            return true;
        }

        @Override
        public void whenReady(Runnable action) {
            action.run();
        }

        @Override
        public void close() {
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
