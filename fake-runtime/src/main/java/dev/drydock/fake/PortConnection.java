package dev.drydock.fake;

import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection to a port a behaviour serves: the client's bytes go to the handler's {@link
 * PortHandler.Connection} on a lane of its own, through a bounded queue; the handler's go to the client's sink.
 */
final class PortConnection implements StreamHandle, PortHandler.Client {

    private static final Logger LOG = LoggerFactory.getLogger(PortConnection.class);

    private final String name;
    private final ByteSink toClient;
    private final StreamListener listener;
    private final FreezableLane lane;
    private final Consumer<PortConnection> onDone;
    private final BoundedInput input = new BoundedInput(() -> submit(this::deliver));
    /** Whether the end of the client's input was handed to the handler. */
    private boolean endTaken;
    private final PortHandler handler;
    private PortHandler.Connection connection; // lane only
    private volatile boolean clientBehind;
    private volatile boolean over;

    PortConnection(String name, PortHandler handler, ByteSink toClient, StreamListener listener, Executor workers,
                   Consumer<PortConnection> onDone) {
        this.name = name;
        this.toClient = toClient;
        this.listener = listener;
        this.lane = new FreezableLane(workers, () -> over = true);
        this.onDone = onDone;
        this.handler = handler;
    }

    /** Connects to the handler (on the lane), once the owner has this connection registered. */
    void start() {
        execute(listener::connected); // as a kernel accepts a connection, also for a frozen server
        submit(() -> {
            try {
                connection = handler.connect(this);
            } catch (RuntimeException e) {
                LOG.warn("{} failed to accept a connection: {}", name, e.toString(), e);
                end("read: connection reset by peer");
            }
        });
    }

    /**
     * Freezes the connection with the container serving it: neither side's bytes move until {@link #thaw()}, and then
     * in order. Idempotent.
     */
    void freeze() {
        lane.freeze();
    }

    /** Lets a frozen connection carry bytes again: what waited goes first, in order. Idempotent. */
    void thaw() {
        lane.thaw();
    }

    private void submit(Runnable task) {
        lane.submit(task);
    }

    private void execute(Runnable task) {
        lane.execute(task);
    }

    @Override
    public ByteSink input() {
        return input;
    }

    @Override
    public void cancel() {
        if (!over) {
            over = true;
            input.drop();
            onDone.accept(this);
        }
    }

    /** The node is gone: the client hears so, at once (the lanes may be closing with the cluster). */
    void lost(String message) {
        toClient.close();
        listener.failed(message);
    }

    /** The server side went away (its container stopped): the client sees the connection reset. */
    void reset() {
        submit(() -> end("read: connection reset by peer"));
    }

    // ---- PortHandler.Client

    @Override
    public boolean send(byte[] bytes) {
        if (over) {
            return true;
        }
        boolean ready = toClient.write(bytes);
        if (!ready) {
            clientBehind = true;
        }
        return ready;
    }

    @Override
    public void whenReady(Runnable action) {
        toClient.whenReady(() -> submit(() -> {
            if (!over) {
                action.run();
            }
        }));
    }

    @Override
    public void close() {
        submit(() -> end(null));
    }

    private void end(String failure) {
        if (over) {
            return;
        }
        over = true;
        input.drop();
        onDone.accept(this);
        toClient.close();
        if (failure == null) {
            listener.ended(0);
        } else {
            listener.failed(failure);
        }
    }

    /** On the lane: the client's bytes to the handler, as long as the client takes what the handler answers. */
    private void deliver() {
        while (!over && connection != null) {
            if (clientBehind) {
                clientBehind = false;
                toClient.whenReady(() -> submit(this::deliver));
                return;
            }
            byte[] data = input.poll();
            if (data == null) {
                break;
            }
            try {
                connection.data(data);
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", name, e.toString(), e);
                end("read: connection reset by peer");
                return;
            }
        }
        if (!over && connection != null && !endTaken && input.atEnd()) {
            endTaken = true;
            try {
                connection.closed(this);
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", name, e.toString(), e);
                end("read: connection reset by peer");
            }
        }
    }
}
