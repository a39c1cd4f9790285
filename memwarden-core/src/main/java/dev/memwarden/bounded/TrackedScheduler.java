package dev.memwarden.bounded;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>A timer is live until its future is done: it has run (one-shot), it was cancelled through the returned future
 * (the executor's own) or {@link #cancelAll()}, or a periodic task threw. Scheduling costs one small object and one
 * CAS, and finishing costs nothing: nothing wraps the task or the future. Instead every timer goes on a stack, and
 * a walk of the stack counts the live ones per name and drops the done ones. Walks run when counts are read, when
 * as many timers were scheduled since the last walk as it kept (so the stack stays under about twice the live
 * timers, and walking costs O(1) per timer), and when a name may have crossed {@code warnAbove}, so the warning
 * comes from the scheduling call that crossed it. At most {@code maxNames} distinct names are counted apart
 * (default 1024); timers with further names, such as names built from a session id, are counted under
 * {@value #OTHER}. Thread-safe.
 */
public final class TrackedScheduler implements Tracked, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TrackedScheduler.class.getName());
    static final int MIN_WALK_INTERVAL = 256;
    private static final VarHandle NEWEST;

    static {
        try {
            NEWEST = MethodHandles.lookup().findVarHandle(TrackedScheduler.class, "newest", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The name timers are counted under once {@code maxNames} names are in use. */
    public static final String OTHER = "(other)";

    private final String name;
    private final ScheduledExecutorService executor;
    private final int warnAbove;
    private final int maxNames;
    private final Map<String, Timers> byName = new ConcurrentHashMap<>();
    private final Map<String, Maintenance> maintenance = new ConcurrentHashMap<>();
    private final RateLimitedLogger log = RateLimitedLogger.builder(LOG).build();

    /** Every timer the last walk kept and every timer scheduled since, newest first. */
    @SuppressWarnings("UnusedVariable") // written through NEWEST
    private volatile @Nullable Node newest;

    /** Held by a walk; scheduling threads only ever CAS {@link #newest}, so they never wait for it. */
    private final ReentrantLock walking = new ReentrantLock();

    private volatile long pushedAtLastWalk;
    private volatile long keptAtLastWalk;

    /** Cancelled timers the walks have seen: counted under {@link #walking}, published for describe. */
    private long cancelledSeen;

    private volatile long cancelled;

    /** The schedule that took a name past the warning line, the last time one did. */
    private volatile List<String> growthSite = List.of();

    private TrackedScheduler(Builder builder) {
        this.name = builder.name;
        this.executor = builder.executor;
        this.warnAbove = builder.warnAbove;
        this.maxNames = builder.maxNames;
    }

    public static Builder builder(ScheduledExecutorService executor) {
        return new Builder(executor);
    }

    public ScheduledFuture<?> schedule(String timer, Runnable task, Duration delay) {
        Timers timers = timers(timer);
        return track(timers, executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    public ScheduledFuture<?> scheduleAtFixedRate(String timer, Runnable task, Duration initialDelay, Duration period) {
        Timers timers = timers(timer);
        return track(
                timers,
                executor.scheduleAtFixedRate(task, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS));
    }

    public ScheduledFuture<?> scheduleWithFixedDelay(
            String timer, Runnable task, Duration initialDelay, Duration delay) {
        Timers timers = timers(timer);
        return track(
                timers,
                executor.scheduleWithFixedDelay(task, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    private Timers timers(String requested) {
        Timers timers = byName.get(requested);
        if (timers == null) {
            String key = byName.size() < maxNames ? requested : OTHER;
            timers = byName.computeIfAbsent(key, Timers::new);
        }
        return timers;
    }

    private ScheduledFuture<?> track(Timers timers, ScheduledFuture<?> future) {
        Node node = new Node(timers, future);
        Node top;
        do {
            top = newest;
            node.below = top;
            node.pushes = top == null ? 1 : top.pushes + 1;
        } while (!NEWEST.compareAndSet(this, top, node));
        long kept = keptAtLastWalk;
        boolean walked = node.pushes - pushedAtLastWalk >= Math.max(MIN_WALK_INTERVAL, kept) && tryWalk();
        if (!timers.warned) {
            // A racy count on purpose: a lost increment only delays the exact walk it triggers.
            int since = ++timers.scheduledSinceWalk;
            if (!walked && timers.liveAtLastWalk + since > warnAbove && since * 4L >= kept) {
                tryWalk(); // counts this timer too: it is on the stack
            }
            if (timers.liveAtLastWalk > warnAbove) {
                warn(timers);
            }
        }
        return future;
    }

    private void warn(Timers timers) {
        synchronized (timers) {
            if (timers.warned) {
                return;
            }
            timers.warned = true;
        }
        Throwable scheduledHere = new Throwable("timer scheduled here");
        growthSite = GrowthSite.of(scheduledHere, TrackedScheduler.class);
        LOG.log(
                System.Logger.Level.WARNING,
                "'" + name + "': " + timers.liveAtLastWalk + " live timers named '" + timers.name + "', more than "
                        + warnAbove + "; timers scheduled and never cancelled are a leak. Scheduled here:",
                scheduledHere);
    }

    /** Walks unless another thread is walking, whose counts will do; true when this call walked. */
    private boolean tryWalk() {
        if (!walking.tryLock()) {
            return false;
        }
        try {
            walk();
            return true;
        } finally {
            walking.unlock();
        }
    }

    private void walkNow() {
        walking.lock();
        try {
            walk();
        } finally {
            walking.unlock();
        }
    }

    /**
     * Counts the live timers per name and unlinks the done ones. The top is always kept, because scheduling threads
     * CAS against it; they never write below it, so unlinking there needs only {@link #walking}, held by the caller.
     */
    private void walk() {
        for (Timers timers : byName.values()) {
            timers.counted = 0;
        }
        Node top = newest;
        long kept = 0;
        if (top != null) {
            count(top);
            kept = 1;
            Node keep = top;
            for (Node n = top.below; n != null; n = n.below) {
                if (count(n)) {
                    keep.below = n;
                    keep = n;
                    kept++;
                }
            }
            keep.below = null;
            pushedAtLastWalk = top.pushes;
        }
        keptAtLastWalk = kept;
        cancelled = cancelledSeen;
        for (Timers timers : byName.values()) {
            timers.scheduledSinceWalk = 0;
            timers.liveAtLastWalk = timers.counted;
            if (timers.counted <= warnAbove && timers.warned) {
                timers.warned = false; // warn again if it climbs back
            }
        }
    }

    /** Timers on the stack, live or done: what the tracking holds, for tests of its bound. */
    int stackDepth() {
        walking.lock();
        try {
            int depth = 0;
            for (Node n = newest; n != null; n = n.below) {
                depth++;
            }
            return depth;
        } finally {
            walking.unlock();
        }
    }

    /** Counts a timer live or, the first time it is seen done, cancelled; true when live. */
    private boolean count(Node node) {
        if (!node.future.isDone()) {
            node.timers.counted++;
            return true;
        }
        if (!node.seenDone) {
            node.seenDone = true;
            if (node.future.isCancelled()) {
                cancelledSeen++;
            }
        }
        return false;
    }

    /** The timers of one name. */
    private static final class Timers {
        final String name;
        volatile int liveAtLastWalk;
        volatile boolean warned;

        /** Scheduled since the last walk, counted without synchronization: a trigger, not a figure. */
        int scheduledSinceWalk;

        /** Live timers seen by the walk in progress; guarded by {@link #walking}. */
        int counted;

        Timers(String name) {
            this.name = name;
        }
    }

    /** One timer on the stack. */
    private static final class Node {
        final Timers timers;
        final ScheduledFuture<?> future;

        /** The next older timer; written before the push, then only by a walk. */
        @Nullable
        Node below;

        /** Timers pushed so far, this one included. */
        long pushes;

        /** Guarded by {@link #walking}. */
        boolean seenDone;

        Node(Timers timers, ScheduledFuture<?> future) {
            this.timers = timers;
            this.future = future;
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

    /** Live (not yet done: not run, not cancelled) timers of one name. */
    public int liveTimers(String timer) {
        walkNow();
        Timers timers = byName.get(timer);
        return timers == null ? 0 : timers.liveAtLastWalk;
    }

    /** Live timers per name, names with none left out. */
    public Map<String, Integer> liveTimers() {
        walkNow();
        Map<String, Integer> counts = new HashMap<>();
        byName.forEach((timer, timers) -> {
            int live = timers.liveAtLastWalk;
            if (live > 0) {
                counts.put(timer, live);
            }
        });
        return counts;
    }

    /** Cancels every timer this scheduler started; returns how many were still live. */
    public int cancelAll() {
        List<ScheduledFuture<?>> live = new ArrayList<>();
        walking.lock();
        try {
            for (Node n = newest; n != null; n = n.below) {
                if (!n.future.isDone()) {
                    live.add(n.future);
                }
            }
        } finally {
            walking.unlock();
        }
        int count = 0;
        for (ScheduledFuture<?> future : live) {
            if (future.cancel(false)) {
                count++;
            }
        }
        walkNow();
        return count;
    }

    /** Counts as of the last walk when another thread is walking, so that the sampler never waits. */
    @Override
    public Tracked.State describe() {
        tryWalk();
        int total = 0;
        for (Timers timers : byName.values()) {
            total += timers.liveAtLastWalk;
        }
        Node top = newest;
        long scheduled = top == null ? 0 : top.pushes;
        long maintenanceFailures = 0;
        for (Maintenance m : maintenance.values()) {
            maintenanceFailures += m.failures.get();
        }
        return new Tracked.State(
                name,
                Tracked.State.Kind.TIMERS,
                total,
                OptionalLong.empty(),
                OptionalLong.empty(),
                Map.of(
                        "scheduled", scheduled,
                        "cancelled", cancelled,
                        "maintenanceFailures", maintenanceFailures),
                growthSite);
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
