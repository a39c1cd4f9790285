package dev.memwarden.server.internal.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's worker threads, with a deadline for reading each request. The JDK's server reads the request line and
 * headers on the worker, in blocking reads, so a client that sends a byte a minute would hold a worker for as long as
 * it likes. Here each task gets a deadline when it starts; a worker still reading its request when the deadline passes
 * is interrupted, which closes the connection under the read (socket channels are interruptible), and the worker is
 * free again. Once the request is read ({@link #requestRead}) the deadline no longer applies.
 *
 * <p>Threads: at most {@code threads} workers and one timer, all daemons, all gone after a few seconds idle. The queue
 * of accepted connections waiting for a worker is bounded; past it a connection is closed at once.
 */
final class RequestDeadlines extends ThreadPoolExecutor {
    private final Duration readTimeout;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Thread, Deadline> pending = new ConcurrentHashMap<>();

    /** One task's deadline: whoever turns {@code open} off first, the worker or the timer, wins. */
    private record Deadline(AtomicBoolean open, ScheduledFuture<?> timer) {}

    RequestDeadlines(int threads, int queue, Duration readTimeout, String name) {
        super(threads, threads, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), new DaemonThreads(name));
        allowCoreThreadTimeOut(true);
        this.readTimeout = readTimeout;
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads(name + "-deadlines"));
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    protected void beforeExecute(Thread worker, Runnable task) {
        AtomicBoolean open = new AtomicBoolean(true);
        ScheduledFuture<?> interrupt = timer.schedule(
                () -> {
                    if (open.compareAndSet(true, false)) {
                        worker.interrupt();
                    }
                },
                readTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        pending.put(worker, new Deadline(open, interrupt));
    }

    /**
     * Called by the worker once its request is read: from here on it is not interrupted.
     *
     * @return false if the deadline passed first: the connection is closed, the request should be dropped
     */
    boolean requestRead() {
        Deadline deadline = pending.remove(Thread.currentThread());
        if (deadline == null) {
            return true;
        }
        boolean first = deadline.open().compareAndSet(true, false);
        if (first) {
            deadline.timer().cancel(false);
        }
        return first;
    }

    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        requestRead();
        Thread.interrupted(); // a deadline that fired as the task ended must not reach the next one
    }

    @Override
    protected void terminated() {
        timer.shutdownNow();
    }
}
