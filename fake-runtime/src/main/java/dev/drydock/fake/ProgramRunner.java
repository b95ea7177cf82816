package dev.drydock.fake;

import dev.drydock.base.Clock;
import dev.drydock.runtime.ByteSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Program}: every call to it goes through a lane of its own on the node's shared workers (so it runs
 * one call at a time, holding no thread while it waits), its output goes to two sinks, and its stdin flows from the
 * client with a bounded queue. On a terminal, it does what a terminal's line discipline does: input {@code \r}
 * becomes {@code \n} and is echoed, output {@code \n} becomes {@code \r\n}, and stderr goes to stdout.
 */
final class ProgramRunner implements ProgramContext {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramRunner.class);

    private final String name;
    private final Program program;
    private final List<String> argv;
    private final Map<String, String> env;
    private final String hostname;
    private final Clock clock;
    private final boolean tty;
    private final ByteSink out;
    private final ByteSink err;
    private final FreezableLane lane;
    private final ScheduledExecutorService timer;
    private final IntConsumer onExit;
    private final Set<ScheduledFuture<?>> timers = ConcurrentHashMap.newKeySet();
    private final BoundedInput stdin = new BoundedInput(() -> submit(this::deliver));
    // lane only
    private boolean paused;
    private boolean eofDelivered;
    private volatile boolean exited;
    /** Set once, by the first exit (the program's own, or a kill from outside its lane). */
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    /** The thread running a step of the program now, or null. */
    private volatile Thread stepThread; // written under stepLock
    private final Object stepLock = new Object();
    /** The container's volumes and usage, as {@link #inContainer} sets them. */
    private volatile ContainerFiles files = ContainerFiles.NONE;
    private volatile ContainerUsage usage;
    private volatile Runnable outOfMemory = () -> { };
    private volatile dev.drydock.runtime.ClusterHttp http = dev.drydock.runtime.ClusterHttp.UNAVAILABLE;

    /**
     * @param name     what the program is, for log lines
     * @param stdinOpen whether the program has a stdin (false: it reads end of file at once)
     * @param onExit   called once, on the lane, with the exit code, unless the runner is {@link #cancel()}ed
     */
    ProgramRunner(String name, Program program, List<String> argv, Map<String, String> env, String hostname,
                  Clock clock, boolean tty, ByteSink out, ByteSink err, Executor workers,
                  ScheduledExecutorService timer, boolean stdinOpen, IntConsumer onExit) {
        this.name = name;
        this.program = program;
        this.argv = List.copyOf(argv);
        this.env = env;
        this.hostname = hostname;
        this.clock = clock;
        this.tty = tty;
        this.out = out;
        this.err = tty ? out : err;
        this.lane = new FreezableLane(workers, () -> {
            ended.set(true);
            exited = true;
        });
        this.timer = timer;
        this.onExit = onExit;
        if (!stdinOpen) {
            stdin.closeUnread();
        }
    }

    /**
     * Runs the program in a container: it sees the container's files, and its usage counts to the container's;
     * {@code outOfMemory} runs once it has pushed the container over its memory limit (and the program is gone).
     */
    ProgramRunner inContainer(ContainerFiles files, ContainerUsage usage, Runnable outOfMemory) {
        this.files = files;
        this.usage = usage;
        this.outOfMemory = outOfMemory;
        return this;
    }

    /** Starts the program (on its lane), then hands it what its stdin holds. */
    void start() {
        call(() -> program.start(this));
        submit(this::deliver);
    }

    /** Where the client's stdin goes. */
    ByteSink stdin() {
        return stdin;
    }

    void resize(int width, int height) {
        call(() -> program.resize(this, width, height));
    }

    /** SIGTERM. */
    void terminate() {
        call(() -> program.terminate(this));
    }

    /**
     * SIGKILL: the program ends at once with {@code code}, its exit reported as usual; a frozen one too. A program
     * whose step hangs its thread (a behaviour that blocks, against {@link Program}'s rule) holds its lane, so it is
     * ended from here: its exit is reported at once and its thread interrupted; the thread is its own to give back.
     */
    void kill(int code) {
        synchronized (stepLock) {
            Thread stuck = stepThread;
            if (stuck != null && stuck != Thread.currentThread()) {
                LOG.warn("{} is killed while a step of it still runs on {}: interrupting it", name, stuck.getName());
                exit(code);
                stuck.interrupt(); // under the lock: the step has not ended, so the interrupt is its own
                return;
            }
        }
        execute(() -> exit(code));
    }

    /** Ends the program at once without reporting its exit: the client went away, or the node is gone. */
    void cancel() {
        execute(() -> {
            if (ended.compareAndSet(false, true)) {
                exited = true;
                cleanUp();
            }
        });
    }

    boolean isExited() {
        return exited;
    }

    /** Runs {@code step} of the program on its lane; a program that throws exits with 1, as kube shows a crash. */
    private void call(Runnable step) {
        submit(() -> invoke(step));
    }

    /** On the lane: one step of the program. */
    private void invoke(Runnable step) {
        if (exited) {
            return;
        }
        synchronized (stepLock) {
            stepThread = Thread.currentThread();
        }
        try {
            step.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn("{} failed: {}", name, e.toString(), e);
            stderr(("drydock: " + name + " failed: " + e + "\n").getBytes(StandardCharsets.UTF_8));
            exit(1);
        } finally {
            synchronized (stepLock) {
                stepThread = null;
                if (exited) {
                    Thread.interrupted(); // a kill's interrupt must not reach the shared worker's next task
                }
            }
        }
    }

    /**
     * Freezes the program, as the cgroup freezer does: from now on nothing of it runs (its steps, its timers' actions,
     * its input) until {@link #thaw()}; what is due meanwhile runs then, in order. Only {@link #kill} and
     * {@link #cancel} get through. A step already running finishes. Idempotent.
     */
    void freeze() {
        lane.freeze();
    }

    /** Lets a frozen program run again: what waited runs first, in order. Idempotent. */
    void thaw() {
        lane.thaw();
    }

    private void submit(Runnable task) {
        lane.submit(task);
    }

    private void execute(Runnable task) {
        lane.execute(task);
    }

    // ---- ProgramContext

    /** Gives the program its pod's network, before it starts. */
    void http(dev.drydock.runtime.ClusterHttp clusterHttp) {
        this.http = clusterHttp;
    }

    @Override
    public dev.drydock.runtime.ClusterHttp http() {
        return http;
    }

    @Override
    public List<String> argv() {
        return argv;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public Instant now() {
        return clock.now();
    }

    @Override
    public boolean tty() {
        return tty;
    }

    @Override
    public boolean stdout(byte[] data) {
        return exited || out.write(tty ? crlf(data) : data);
    }

    @Override
    public boolean stderr(byte[] data) {
        return exited || err.write(tty ? crlf(data) : data);
    }

    @Override
    public void whenOutputReady(Runnable action) {
        out.whenReady(() -> err.whenReady(() -> call(action)));
    }

    @Override
    public void pauseInput() {
        paused = true;
    }

    @Override
    public void resumeInput() {
        if (paused) {
            paused = false;
            submit(this::deliver);
        }
    }

    @Override
    public Runnable after(Duration delay, Runnable action) {
        // the timer may fire before schedule() returns: the future is known to the task only through this holder
        java.util.concurrent.atomic.AtomicReference<ScheduledFuture<?>> future =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        ScheduledFuture<?> f;
        try {
            f = timer.schedule(() -> {
                fired.set(true);
                ScheduledFuture<?> self = future.get();
                if (self != null) {
                    timers.remove(self);
                }
                call(action);
            }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return () -> { }; // the cluster is closing
        }
        future.set(f);
        if (!fired.get()) {
            timers.add(f);
            if (fired.get()) {
                timers.remove(f);
            }
        }
        if (exited) {
            f.cancel(false);
        }
        return () -> {
            f.cancel(false);
            timers.remove(f);
        };
    }

    @Override
    public byte[] readBytes(String path) {
        byte[] data = files.read(path);
        if (data == null) {
            throw new ContainerFiles.FileError("no file " + ContainerFiles.normalize(path) + " in this container"
                    + (files.isDirectory(path) ? " (it is a directory)" : "") + "; its files are " + files.list());
        }
        return data;
    }

    @Override
    public boolean isFile(String path) {
        return files.read(path) != null;
    }

    @Override
    public List<String> files() {
        return files.list();
    }

    @Override
    public void writeFile(String path, byte[] data) {
        files.write(path, data, false);
    }

    @Override
    public void appendFile(String path, byte[] data) {
        files.write(path, data, true);
    }

    @Override
    public void useMemory(long bytes) {
        ContainerUsage u = usage;
        if (u == null || exited) {
            return;
        }
        if (u.memory(this, bytes)) {
            exited = true; // killed by the OOM killer: nothing more of it runs
            cleanUp();
            outOfMemory.run();
        }
    }

    @Override
    public void useCpu(long millicores) {
        ContainerUsage u = usage;
        if (u != null && !exited) {
            u.cpu(this, millicores);
        }
    }

    @Override
    public void exit(int exitCode) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        exited = true;
        cleanUp();
        onExit.accept(exitCode);
    }

    @Override
    public boolean exited() {
        return exited;
    }

    private void cleanUp() {
        ContainerUsage u = usage;
        if (u != null) {
            u.exited(this);
        }
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        stdin.drop();
    }

    /** On the lane: hands queued stdin to the program while it takes it, then its end of file. */
    private void deliver() {
        while (!exited && !paused) {
            byte[] data = stdin.poll();
            if (data == null) {
                break;
            }
            if (tty) {
                data = terminalInput(data);
            }
            byte[] d = data;
            invoke(() -> program.stdin(this, d));
        }
        if (!exited && !paused && !eofDelivered && stdin.atEnd()) {
            eofDelivered = true;
            invoke(() -> program.stdinClosed(this));
        }
    }

    /** A terminal's input: carriage returns become newlines, and what is typed is echoed. */
    private byte[] terminalInput(byte[] data) {
        byte[] in = data.clone();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r') {
                in[i] = '\n';
            }
        }
        out.write(crlf(in));
        return in;
    }

    private static byte[] crlf(byte[] data) {
        int extra = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                extra++;
            }
        }
        if (extra == 0) {
            return data;
        }
        byte[] r = new byte[data.length + extra];
        int j = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                r[j++] = '\r';
            }
            r[j++] = data[i];
        }
        return r;
    }
}
