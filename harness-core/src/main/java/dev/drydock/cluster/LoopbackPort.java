package dev.drydock.cluster;

import dev.drydock.base.Threads;
import dev.drydock.net.Network;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ClusterHttp;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real TCP port on {@code 127.0.0.1} that forwards each connection to a Service's port, for tools outside the JVM
 * (a browser, curl, a load generator): each connection goes through kube-proxy to one ready endpoint, across the
 * cluster's network from the test's party, as {@code cluster.http()} does. Made by
 * {@link DrydockCluster#exposeService}; closed with the cluster, or before.
 *
 * <pre>{@code
 * try (LoopbackPort web = cluster.exposeService("default", "web", 80)) {
 *     HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.url() + "/")).build(), ofString());
 * }
 * }</pre>
 *
 * A connection holds one thread (its reads from the local socket) while it is open; the accept loop holds one.
 * A connection that cannot be opened (no ready endpoint, a cut link) is closed at once.
 */
public final class LoopbackPort implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackPort.class);

    private final String namespace;
    private final String service;
    private final int servicePort;
    private final ServiceNetwork network;
    private final ServerSocket server;
    private final Threads.Factory threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LoopbackPort(String cluster, String namespace, String service, int servicePort, ServiceNetwork network)
            throws IOException {
        this.namespace = namespace;
        this.service = service;
        this.servicePort = servicePort;
        this.network = network;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.threads = Threads.factory(cluster, "service-" + namespace + "-" + service + "-" + servicePort);
        threads.newThread(this::acceptLoop).start();
    }

    /** The local port. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public String toString() {
        return "127.0.0.1:" + port() + " -> service " + namespace + "/" + service + ":" + servicePort;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: accept failed: {}", this, e.toString());
                }
                return;
            }
            open.add(socket);
            try {
                socket.setTcpNoDelay(true);
                threads.newThread(() -> serve(socket)).start();
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: connection not served: {}", this, e.toString());
                closeQuietly(socket);
            }
        }
    }

    /** One connection: the pod's bytes written to the socket as they come, the socket's read here. */
    private void serve(Socket socket) {
        StreamHandle handle;
        try {
            OutputStream out = socket.getOutputStream();
            ByteSink toClient = new ByteSink() {
                @Override
                public boolean write(byte[] data) {
                    try {
                        out.write(data);
                        out.flush();
                    } catch (IOException e) {
                        closeQuietly(socket);
                    }
                    return true;
                }

                @Override
                public void whenReady(Runnable action) {
                    action.run();
                }

                @Override
                public void close() {
                    try {
                        socket.shutdownOutput();
                    } catch (IOException e) {
                        closeQuietly(socket);
                    }
                }
            };
            StreamListener ends = new StreamListener() {
                @Override
                public void ended(int exitCode) {
                    closeQuietly(socket);
                }

                @Override
                public void failed(String message) {
                    LOG.debug("{}: connection ended: {}", LoopbackPort.this, message);
                    closeQuietly(socket);
                }
            };
            handle = network.connect(Network.TEST, namespace, service, servicePort, toClient, ends);
        } catch (IOException | ClusterHttp.CallException e) {
            LOG.debug("{}: connection refused: {}", this, e.getMessage());
            closeQuietly(socket);
            return;
        }
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                ByteSink input = handle.input();
                if (input != null) {
                    input.write(Arrays.copyOf(buffer, n));
                }
            }
            ByteSink input = handle.input();
            if (input != null) {
                input.close();
            }
        } catch (IOException e) {
            handle.cancel();
            closeQuietly(socket);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: closing a connection: {}", this, e.toString());
        }
    }

    /** Stops listening and closes every connection; waits for its threads to end. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("{}: closing: {}", this, e.toString());
        }
        open.forEach(this::closeQuietly);
        try {
            if (!threads.join(5_000)) {
                LOG.warn("{}: threads still running after close", this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
