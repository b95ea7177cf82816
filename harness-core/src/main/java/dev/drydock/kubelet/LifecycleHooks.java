package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a container's lifecycle hook handler (kube's {@code handlerRunner}) without holding the caller: {@code exec}
 * through the runtime's exec, {@code httpGet} as a GET to the pod's port through the runtime's port-forward, and
 * {@code sleep} on the cluster's timers (its seconds compressed as a grace period is). Each ends by calling its
 * {@code done} once, with null on success or why it failed.
 */
final class LifecycleHooks {

    /** What holds an HTTP hook's response before it is read: a status line and a little more is all it needs. */
    private static final int MAX_RESPONSE = 64 * 1024;

    private final ContainerRuntime runtime;
    private final ComponentContext ctx;

    LifecycleHooks(ContainerRuntime runtime, ComponentContext ctx) {
        this.runtime = runtime;
        this.ctx = ctx;
    }

    /** Whether {@code handler} is one a hook runs (exec, httpGet or sleep). */
    static boolean isHandler(JsonNode handler) {
        return handler.has("exec") || handler.has("httpGet") || handler.has("sleep");
    }

    /**
     * Starts {@code handler} for the container instance {@code containerId} of {@code container} (its spec) in
     * {@code sandboxId}; returns what cancels it (then {@code done} is not called).
     */
    Runnable run(JsonNode handler, JsonNode container, String sandboxId, String containerId,
                 Consumer<String> done) {
        AtomicBoolean once = new AtomicBoolean();
        Consumer<String> finish = why -> {
            if (once.compareAndSet(false, true)) {
                done.accept(why);
            }
        };
        try {
            if (handler.has("exec")) {
                return exec(handler.path("exec"), containerId, finish, once);
            }
            if (handler.has("httpGet")) {
                return httpGet(handler.path("httpGet"), container, sandboxId, finish, once);
            }
            if (handler.has("sleep")) {
                long seconds = handler.path("sleep").path("seconds").asLong();
                Timers.Task t = ctx.timers().after(ctx.timings().gracePeriod(seconds), () -> finish.accept(null));
                return () -> {
                    once.set(true);
                    t.cancel();
                };
            }
        } catch (RuntimeError | RejectedExecutionException e) {
            finish.accept(e.getMessage());
            return () -> { };
        }
        finish.accept("a handler needs one of exec, httpGet or sleep, got " + handler);
        return () -> { };
    }

    private Runnable exec(JsonNode exec, String containerId, Consumer<String> finish, AtomicBoolean once) {
        List<String> command = new ArrayList<>();
        exec.path("command").forEach(c -> command.add(c.asText()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = collecting(out);
        StreamHandle h = runtime.exec(containerId, command, new ProcessIo(false, sink, sink, false,
                new StreamListener() {
                    @Override
                    public void ended(int exitCode) {
                        String output;
                        synchronized (out) {
                            output = out.toString(StandardCharsets.UTF_8);
                        }
                        finish.accept(exitCode == 0 ? null : "command '" + String.join(" ", command)
                                + "' exited with " + exitCode + ": " + output);
                    }

                    @Override
                    public void failed(String message) {
                        finish.accept(message);
                    }
                }));
        return () -> {
            once.set(true);
            h.cancel();
        };
    }

    private Runnable httpGet(JsonNode get, JsonNode container, String sandboxId, Consumer<String> finish,
                             AtomicBoolean once) {
        int port = port(get.path("port"), container);
        String path = get.path("path").asText("/");
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        StreamHandle[] handle = new StreamHandle[1];
        ByteSink toClient = ByteSink.consumer(data -> {
            String head;
            synchronized (response) {
                if (response.size() < MAX_RESPONSE) {
                    response.write(data, 0, Math.min(data.length, MAX_RESPONSE - response.size()));
                }
                head = response.toString(StandardCharsets.ISO_8859_1);
            }
            int eol = head.indexOf("\r\n");
            if (eol >= 0) {
                finish.accept(verdict(head.substring(0, eol)));
                StreamHandle h = handle[0];
                if (h != null) {
                    h.cancel();
                }
            }
        });
        StreamHandle h = runtime.portForward(sandboxId, port, toClient, new StreamListener() {
            @Override
            public void ended(int exitCode) {
                finish.accept("the connection to port " + port + " closed before a response");
            }

            @Override
            public void failed(String message) {
                finish.accept(message);
            }
        });
        handle[0] = h;
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(get.path("host").asText("localhost")).append(':').append(port).append("\r\n");
        for (JsonNode header : get.path("httpHeaders")) {
            request.append(header.path("name").asText()).append(": ").append(header.path("value").asText())
                    .append("\r\n");
        }
        request.append("User-Agent: kube-lifecycle/1.32\r\nConnection: close\r\n\r\n");
        if (h.input() != null) {
            h.input().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        if (once.get()) {
            h.cancel();
        }
        return () -> {
            once.set(true);
            h.cancel();
        };
    }

    /** null for a 2xx or 3xx status line, as kube's HTTP handler counts success; otherwise why not. */
    private static String verdict(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        int code = parts.length > 1 ? parseInt(parts[1]) : -1;
        return code >= 200 && code < 400 ? null : "HTTP lifecycle hook got " + statusLine;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A port by number, or by the name of one of the container's ports. */
    static int port(JsonNode port, JsonNode container) {
        if (port.isNumber()) {
            return port.asInt();
        }
        String name = port.asText();
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        if (name.matches("[0-9]+")) {
            return Integer.parseInt(name);
        }
        throw new RuntimeError("InvalidPort", "couldn't find port: " + name + " in container " + container
                .path("name").asText());
    }

    private static ByteSink collecting(ByteArrayOutputStream out) {
        return ByteSink.consumer(data -> {
            synchronized (out) {
                if (out.size() < MAX_RESPONSE) {
                    out.write(data, 0, Math.min(data.length, MAX_RESPONSE - out.size()));
                }
            }
        });
    }
}
