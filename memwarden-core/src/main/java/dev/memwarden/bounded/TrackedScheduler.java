package dev.memwarden.bounded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
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
 * <p>A timer stops counting when it has run (one-shot), when it is cancelled through the returned future or
 * {@link #cancelAll()}, or when a periodic task throws; tracking is O(1) per timer, no extra thread. At most {@code maxNames} distinct names are counted apart (default 1024); timers with further
 * names, such as names built from a session id, are counted under {@value #OTHER}. Thread-safe.
 */
public final class TrackedScheduler implements Tracked, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TrackedScheduler.class.getName());

    /** The name timers are counted under once {@code maxNames} names are in use. */
    public static final String OTHER = "(other)";

    private final String name;
    private final ScheduledExecutorService executor;
    private final int warnAbove;
    private final int maxNames;
    private final Map<String, Timers> byName = new ConcurrentHashMap<>();
    private final Map<String, Maintenance> maintenance = new ConcurrentHashMap<>();
    private final RateLimitedLogger log = RateLimitedLogger.builder(LOG).build();
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    /** Every live timer, in an intrusive list so that adding and finishing one are O(1); for cancelAll. */
    private final Node head = new Node(new Timers(""), () -> {}, false);

    private TrackedScheduler(Builder builder) {
        this.name = builder.name;
        this.executor = builder.executor;
        this.warnAbove = builder.warnAbove;
        this.maxNames = builder.maxNames;
        head.next = head;
        head.previous = head;
    }

    public static Builder builder(ScheduledExecutorService executor) {
        return new Builder(executor);
    }

    public ScheduledFuture<?> schedule(String timer, Runnable task, Duration delay) {
        Node node = start(timer, task, false);
        return node.attach(executor.schedule(node, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    public ScheduledFuture<?> scheduleAtFixedRate(String timer, Runnable task, Duration initialDelay, Duration period) {
        Node node = start(timer, task, true);
        return node.attach(
                executor.scheduleAtFixedRate(node, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS));
    }

    public ScheduledFuture<?> scheduleWithFixedDelay(
            String timer, Runnable task, Duration initialDelay, Duration delay) {
        Node node = start(timer, task, true);
        return node.attach(
                executor.scheduleWithFixedDelay(node, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    private Node start(String requested, Runnable task, boolean periodic) {
        scheduled.incrementAndGet();
        Timers timers = byName.get(requested);
        if (timers == null) {
            String key = byName.size() < maxNames ? requested : OTHER;
            timers = byName.computeIfAbsent(key, Timers::new);
        }
        Node node = new Node(timers, task, periodic);
        synchronized (head) {
            Node last = head.previous == null ? head : head.previous;
            node.previous = last;
            node.next = head;
            last.next = node;
            head.previous = node;
        }
        int count = timers.live.incrementAndGet();
        if (count > warnAbove && !timers.warned) {
            timers.warned = true;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "'" + name + "': " + count + " live timers named '" + timers.name + "', more than " + warnAbove
                            + "; timers scheduled and never cancelled are a leak. Scheduled here:",
                    new Throwable("timer scheduled here"));
        }
        return node;
    }

    /** The live timers of one name. */
    private static final class Timers {
        final String name;
        final AtomicInteger live = new AtomicInteger();
        volatile boolean warned;

        Timers(String name) {
            this.name = name;
        }
    }

    private static final AtomicIntegerFieldUpdater<Node> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(Node.class, "finished");

    /**
     * One timer, and everything tracking it needs in a single object: the task the executor runs, the future the
     * caller gets (cancelling it finishes the tracking), and a link in the list of live timers. It finishes
     * exactly once: when a one-shot task has run, when cancelled, or when a periodic task throws.
     */
    private final class Node implements Runnable, ScheduledFuture<Object> {
        final Timers timers;
        final Runnable task;
        final boolean periodic;

        @SuppressWarnings("UnusedVariable") // read and written through FINISHED
        volatile int finished;

        @Nullable
        Node previous;

        @Nullable
        Node next;

        @Nullable
        ScheduledFuture<?> future;

        Node(Timers timers, Runnable task, boolean periodic) {
            this.timers = timers;
            this.task = task;
            this.periodic = periodic;
        }

        ScheduledFuture<?> attach(ScheduledFuture<?> scheduledFuture) {
            this.future = scheduledFuture;
            return this;
        }

        @Override
        public void run() {
            if (periodic) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    finish(); // the executor will not run it again
                    throw e;
                }
            } else {
                try {
                    task.run();
                } finally {
                    finish();
                }
            }
        }

        boolean finish() {
            if (!FINISHED.compareAndSet(this, 0, 1)) {
                return false;
            }
            synchronized (head) {
                Node p = previous;
                Node n = next;
                if (p != null && n != null) {
                    p.next = n;
                    n.previous = p;
                }
                previous = null;
                next = null;
            }
            int left = timers.live.decrementAndGet();
            if (left <= warnAbove && timers.warned) {
                timers.warned = false; // warn again if it climbs back
            }
            return true;
        }

        private ScheduledFuture<?> delegate() {
            ScheduledFuture<?> f = future;
            if (f == null) {
                throw new IllegalStateException("timer not scheduled");
            }
            return f;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean result = delegate().cancel(mayInterruptIfRunning);
            if (result && finish()) {
                cancelled.incrementAndGet();
            }
            return result;
        }

        @Override
        public boolean isCancelled() {
            return delegate().isCancelled();
        }

        @Override
        public boolean isDone() {
            return delegate().isDone();
        }

        @Override
        public @Nullable Object get() throws InterruptedException, ExecutionException {
            return delegate().get();
        }

        @Override
        public @Nullable Object get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return delegate().get(timeout, unit);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return delegate().getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return delegate().compareTo(other);
        }
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
        Timers timers = byName.get(timer);
        return timers == null ? 0 : timers.live.get();
    }

    /** Live timers per name, names with none left out. */
    public Map<String, Integer> liveTimers() {
        Map<String, Integer> counts = new HashMap<>();
        byName.forEach((timer, timers) -> {
            int live = timers.live.get();
            if (live > 0) {
                counts.put(timer, live);
            }
        });
        return counts;
    }

    /** Cancels every timer this scheduler started; returns how many were still live. */
    public int cancelAll() {
        List<Node> live = new ArrayList<>();
        synchronized (head) {
            for (Node n = head.next; n != null && n != head; n = n.next) {
                live.add(n);
            }
        }
        int count = 0;
        for (Node node : live) {
            ScheduledFuture<?> f = node.future;
            if (f != null) {
                f.cancel(false);
            }
            if (node.finish()) {
                count++;
            }
        }
        cancelled.addAndGet(count);
        return count;
    }

    @Override
    public TrackedResource describe() {
        int total = 0;
        for (Timers timers : byName.values()) {
            total += timers.live.get();
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
        private int maxNames = 1024;
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

        /** Distinct timer names counted apart; further names are counted under {@value TrackedScheduler#OTHER}. */
        public Builder maxNames(int names) {
            if (names < 1) {
                throw new IllegalArgumentException("maxNames is at least 1, not " + names);
            }
            this.maxNames = names;
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
