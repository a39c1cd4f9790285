package dev.memwarden.bounded;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ScheduledExecutorService} whose timers are counted by name, so a timer scheduled per request and never
 * cancelled shows up as a count that only rises, with a warning past {@code warnAbove}. {@link #cancelAll()}
 * cancels every timer it scheduled, for shutdown.
 *
 * <p>Maintenance tasks (the "trim every 5 minutes" jobs) registered with {@link #maintenance} report runs, the
 * last duration and failures; a failing task is logged (rate-limited) and keeps its schedule, where a plain
 * executor would silently stop running it.
 *
 * <p>Finished timers are dropped from the count on the next call, as Netty's leak detector drains its queue: no
 * extra thread. Thread-safe.
 */
public final class TrackedScheduler implements Tracked, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TrackedScheduler.class.getName());

    private final String name;
    private final ScheduledExecutorService executor;
    private final int warnAbove;
    private final Map<String, Set<Future<?>>> live = new ConcurrentHashMap<>();
    private final Map<String, Maintenance> maintenance = new ConcurrentHashMap<>();
    private final Map<String, Boolean> warned = new ConcurrentHashMap<>();
    private final RateLimitedLogger log = RateLimitedLogger.builder(LOG).build();
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();

    private TrackedScheduler(Builder builder) {
        this.name = builder.name;
        this.executor = builder.executor;
        this.warnAbove = builder.warnAbove;
    }

    public static Builder builder(ScheduledExecutorService executor) {
        return new Builder(executor);
    }

    public ScheduledFuture<?> schedule(String timer, Runnable task, Duration delay) {
        return track(timer, executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    public ScheduledFuture<?> scheduleAtFixedRate(String timer, Runnable task, Duration initialDelay, Duration period) {
        return track(
                timer,
                executor.scheduleAtFixedRate(task, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS));
    }

    public ScheduledFuture<?> scheduleWithFixedDelay(
            String timer, Runnable task, Duration initialDelay, Duration delay) {
        return track(
                timer,
                executor.scheduleWithFixedDelay(task, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    private ScheduledFuture<?> track(String timer, ScheduledFuture<?> future) {
        scheduled.incrementAndGet();
        Set<Future<?>> futures = live.computeIfAbsent(timer, t -> ConcurrentHashMap.newKeySet());
        futures.removeIf(Future::isDone);
        futures.add(future);
        int count = futures.size();
        if (count > warnAbove && warned.putIfAbsent(timer, Boolean.TRUE) == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "'" + name + "': " + count + " live timers named '" + timer + "', more than " + warnAbove
                            + "; timers scheduled and never cancelled are a leak. Scheduled here:",
                    new Throwable("timer scheduled here"));
        } else if (count <= warnAbove) {
            warned.remove(timer);
        }
        return future;
    }

    /**
     * Runs {@code task} every {@code period}, reporting its runs; a failure is logged and the schedule goes on.
     *
     * @throws IllegalStateException when a maintenance task of that name exists
     */
    public ScheduledFuture<?> maintenance(String task, Duration period, Runnable work) {
        Maintenance stats = new Maintenance();
        if (maintenance.putIfAbsent(task, stats) != null) {
            throw new IllegalStateException("'" + name + "': a maintenance task named '" + task + "' exists");
        }
        Runnable guarded = () -> {
            long start = System.nanoTime();
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                // Thrown out of a periodic task, it would cancel every later run without a word.
                stats.failures.incrementAndGet();
                log.log(
                        "maintenance:" + task,
                        System.Logger.Level.WARNING,
                        () -> "'" + name + "': maintenance task '" + task + "' failed; it stays scheduled",
                        e);
            } finally {
                stats.lastDurationNanos = System.nanoTime() - start;
                stats.lastRun = Instant.now();
                stats.runs.incrementAndGet();
            }
        };
        return scheduleWithFixedDelay("maintenance:" + task, guarded, period, period);
    }

    /** How a maintenance task has fared. */
    public record MaintenanceStats(long runs, long failures, Duration lastDuration, @Nullable Instant lastRun) {}

    public MaintenanceStats maintenanceStats(String task) {
        Maintenance stats = maintenance.get(task);
        if (stats == null) {
            throw new IllegalArgumentException("'" + name + "': no maintenance task named '" + task + "'");
        }
        return new MaintenanceStats(
                stats.runs.get(), stats.failures.get(), Duration.ofNanos(stats.lastDurationNanos), stats.lastRun);
    }

    private static final class Maintenance {
        final AtomicLong runs = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile long lastDurationNanos;
        volatile @Nullable Instant lastRun;
    }

    /** Live (not yet finished, not cancelled) timers of one name. */
    public int liveTimers(String timer) {
        Set<Future<?>> futures = live.get(timer);
        if (futures == null) {
            return 0;
        }
        futures.removeIf(Future::isDone);
        return futures.size();
    }

    /** Live timers per name. */
    public Map<String, Integer> liveTimers() {
        Map<String, Integer> counts = new HashMap<>();
        for (String timer : live.keySet()) {
            int count = liveTimers(timer);
            if (count > 0) {
                counts.put(timer, count);
            }
        }
        return counts;
    }

    /** Cancels every timer this scheduler started; returns how many were still live. */
    public int cancelAll() {
        int count = 0;
        for (Set<Future<?>> futures : live.values()) {
            for (Future<?> future : futures) {
                if (future.cancel(false)) {
                    count++;
                }
            }
            futures.clear();
        }
        cancelled.addAndGet(count);
        return count;
    }

    @Override
    public TrackedResource describe() {
        int total = 0;
        for (String timer : live.keySet()) {
            total += liveTimers(timer);
        }
        long maintenanceFailures = 0;
        for (Maintenance m : maintenance.values()) {
            maintenanceFailures += m.failures.get();
        }
        return new TrackedResource(
                name,
                TrackedResource.Kind.TIMERS,
                total,
                OptionalLong.empty(),
                OptionalLong.empty(),
                Map.of(
                        "scheduled", scheduled.get(),
                        "cancelled", cancelled.get(),
                        "maintenanceFailures", maintenanceFailures));
    }

    /** Cancels every timer; the executor itself belongs to the caller and is left running. */
    @Override
    public void close() {
        cancelAll();
    }

    /** Settings for a {@link TrackedScheduler}; default: warn above 100 live timers of one name. */
    public static final class Builder {
        private final ScheduledExecutorService executor;
        private String name = "scheduler";
        private int warnAbove = 100;
        private @Nullable ResourceRegistry registry;

        private Builder(ScheduledExecutorService executor) {
            this.executor = executor;
        }

        public Builder name(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a scheduler's name cannot be blank");
            }
            this.name = name;
            return this;
        }

        public Builder warnAbove(int timers) {
            if (timers < 1) {
                throw new IllegalArgumentException("warnAbove is at least 1, not " + timers);
            }
            this.warnAbove = timers;
            return this;
        }

        public Builder registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        public TrackedScheduler build() {
            TrackedScheduler scheduler = new TrackedScheduler(this);
            if (registry != null) {
                registry.register(name, scheduler);
            }
            return scheduler;
        }
    }
}
