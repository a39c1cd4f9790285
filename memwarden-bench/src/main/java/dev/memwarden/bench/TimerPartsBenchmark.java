package dev.memwarden.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What each part of tracking a timer costs on its own, beside the plain schedule and cancel it would be added to:
 * the floor under any per-timer tracking, which must look the timer's name up and keep its future somewhere. Each
 * {@code withX} is {@code plain} plus one part.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerPartsBenchmark {
    private static final Duration AN_HOUR = Duration.ofHours(1);
    private static final int CHUNK = 64;

    private ScheduledThreadPoolExecutor executor;
    private final Map<String, Object> byName = new ConcurrentHashMap<>();
    private final ThreadLocal<Object[]> perThread = ThreadLocal.withInitial(() -> new Object[CHUNK]);
    private Object[] chunk = new Object[CHUNK];
    private int filled;

    @SuppressWarnings("UnusedVariable") // only written: the store is what is measured
    private volatile Object newest;

    @Setup
    public void setUp() {
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        // A timer due first, as in PrimitivesBenchmark: a new timer never heads the queue and wakes the thread.
        var unused = executor.schedule(() -> {}, 30, TimeUnit.MINUTES);
        byName.put("timer", new Object());
    }

    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public boolean plain() {
        return executor.schedule(() -> {}, AN_HOUR.toNanos(), TimeUnit.NANOSECONDS)
                .cancel(false);
    }

    @Benchmark
    public boolean withNameLookup() {
        Object timers = byName.get("timer");
        return schedule().cancel(false) && timers != null;
    }

    @Benchmark
    public boolean withThreadLocalLookup() {
        Object[] own = perThread.get();
        return schedule().cancel(false) && own != null;
    }

    /** Into a chunk replaced when full, so young while it fills, as a per-thread design would keep them. */
    @Benchmark
    public boolean withFutureStored() {
        ScheduledFuture<?> future = schedule();
        if (filled == CHUNK) {
            chunk = new Object[CHUNK];
            filled = 0;
        }
        chunk[filled++] = future;
        return future.cancel(false);
    }

    @Benchmark
    public boolean withVolatileStore() {
        ScheduledFuture<?> future = schedule();
        newest = future;
        return future.cancel(false);
    }

    private ScheduledFuture<?> schedule() {
        return executor.schedule(() -> {}, AN_HOUR.toNanos(), TimeUnit.NANOSECONDS);
    }
}
