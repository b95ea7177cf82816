package dev.drydock.api.http;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shell's worker threads: a new one starts only when every worker is busy (up to {@code max}), and an idle one ends
 * after {@code keepAlive}; beyond {@code max} busy, work waits in line. (A plain {@link ThreadPoolExecutor} either
 * starts a thread per task until its core size is reached, busy or not, or never grows past its core size while its
 * queue takes more.)
 */
final class Workers extends ThreadPoolExecutor {

    /** Tasks handed in and not yet finished. */
    private final AtomicInteger unfinished = new AtomicInteger();

    Workers(int max, long keepAlive, TimeUnit unit, ThreadFactory threads) {
        super(0, max, keepAlive, unit, new Line(), threads, (task, pool) -> {
            if (pool.isShutdown()) {
                throw new java.util.concurrent.RejectedExecutionException("the HTTP shell is closed");
            }
            ((Line) pool.getQueue()).force(task); // at max: wait in line
        });
        ((Line) getQueue()).pool = this;
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
    }

    /** The line of waiting work: refuses a task (so that a worker starts) while every worker is busy. */
    private static final class Line extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;
        private transient Workers pool;

        @Override
        public boolean offer(Runnable task) {
            Workers p = pool;
            if (p != null && p.unfinished.get() > p.getPoolSize() && p.getPoolSize() < p.getMaximumPoolSize()) {
                return false; // no worker is idle: start one
            }
            return super.offer(task);
        }

        void force(Runnable task) {
            super.offer(task);
        }
    }
}
