package dev.memwarden.bounded;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Finds resources that are garbage-collected without having been closed: connections, streams, native handles.
 * In the manner of Netty's {@code ResourceLeakDetector}: a tracked resource gets a weak reference whose handle
 * the caller closes with the resource; a reference that reaches the queue still open is a leak, reported with
 * the stack that created the resource. The queue is drained on the next {@link #track} call: no extra thread.
 *
 * <p>Levels, by cost:
 *
 * <ul>
 *   <li>{@link Level#DISABLED}: nothing is tracked; {@code track} returns a shared no-op handle.
 *   <li>{@link Level#SAMPLED} (default): one resource in {@code samplingInterval} is tracked, with its creation
 *       stack (a stack walk of up to 32 frames, a few µs); the others cost a counter increment.
 *   <li>{@link Level#PARANOID}: every resource is tracked with its stack; for tests and debugging.
 * </ul>
 *
 * <p>Bounded: at most {@code maxTracked} resources are tracked at once (more are counted as untracked) and the
 * last 64 leak reports are kept. Stacks are kept as strings, so a report never pins a class loader.
 */
public final class LeakTracker<T> implements Tracked {
    private static final System.Logger LOG = System.getLogger(LeakTracker.class.getName());
    private static final int STACK_DEPTH = 32;
    private static final Handle NO_OP = () -> {};

    /** How much tracking costs and catches. */
    public enum Level {
        DISABLED,
        SAMPLED,
        PARANOID
    }

    /** Closed together with the resource; a handle never closed whose resource is collected is a leak. */
    @FunctionalInterface
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    /** A resource collected without being closed. */
    public record Leak(String tracker, String type, Instant detectedAt, List<String> createdAt) {
        /** One paragraph for a person: what leaked and where it was created. */
        public String describe() {
            return "LEAK: a " + type + " tracked by '" + tracker + "' was garbage-collected without being closed."
                    + " Close it (try-with-resources) where it was created:\n\tat "
                    + String.join("\n\tat ", createdAt);
        }
    }

    private final String name;
    private final Level level;
    private final int samplingInterval;
    private final int maxTracked;
    private final InstantSource clock;
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<TrackedReference> live = ConcurrentHashMap.newKeySet();
    private final RingBuffer<Leak> leaks;
    private final RateLimitedLogger log = RateLimitedLogger.builder(LOG)
            .rate(10, java.time.Duration.ofMinutes(1))
            .build();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong tracked = new AtomicLong();
    private final AtomicLong untracked = new AtomicLong();
    private final AtomicLong leaked = new AtomicLong();

    private final class TrackedReference extends WeakReference<Object> implements Handle {
        final String type;
        final List<String> stack;
        volatile boolean closed;

        TrackedReference(Object resource, List<String> stack) {
            super(resource, queue);
            this.type = resource.getClass().getName();
            this.stack = stack;
        }

        @Override
        public void close() {
            closed = true;
            live.remove(this);
            clear();
        }
    }

    private LeakTracker(Builder builder) {
        this.name = builder.name;
        this.level = builder.level;
        this.samplingInterval = builder.samplingInterval;
        this.maxTracked = builder.maxTracked;
        this.clock = builder.clock;
        this.leaks = RingBuffer.builder().name(name + "-leaks").capacity(64).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts tracking a resource; close the handle when the resource is closed. */
    public Handle track(T resource) {
        drain();
        long n = created.incrementAndGet();
        boolean sample =
                switch (level) {
                    case DISABLED -> false;
                    case SAMPLED -> n % samplingInterval == 0;
                    case PARANOID -> true;
                };
        if (!sample) {
            return NO_OP;
        }
        if (live.size() >= maxTracked) {
            untracked.incrementAndGet();
            return NO_OP;
        }
        List<String> stack = StackWalker.getInstance().walk(frames -> frames.skip(1)
                .limit(STACK_DEPTH)
                .map(f -> f.toStackTraceElement().toString())
                .toList());
        TrackedReference reference = new TrackedReference(resource, stack);
        live.add(reference);
        tracked.incrementAndGet();
        return reference;
    }

    /** Reports the tracked resources collected unclosed since the last call; returns how many. */
    public int drain() {
        int found = 0;
        java.lang.ref.Reference<?> ref;
        while ((ref = queue.poll()) != null) {
            if (!(ref instanceof LeakTracker<?>.TrackedReference tracked)) {
                continue;
            }
            if (tracked.closed || !live.remove(tracked)) {
                continue;
            }
            found++;
            leaked.incrementAndGet();
            Leak leak = new Leak(name, tracked.type, clock.instant(), tracked.stack);
            leaks.add(leak);
            log.log("leak", System.Logger.Level.ERROR, leak.describe());
        }
        return found;
    }

    /** The most recent leaks, oldest first, at most 64. */
    public List<Leak> leaks() {
        drain();
        return leaks.snapshot();
    }

    public long leakCount() {
        drain();
        return leaked.get();
    }

    @Override
    public Tracked.State describe() {
        return new Tracked.State(
                name,
                Tracked.State.Kind.TRACKER,
                live.size(),
                OptionalLong.of(maxTracked),
                OptionalLong.empty(),
                Map.of(
                        "created", created.get(),
                        "tracked", tracked.get(),
                        "untracked", untracked.get(),
                        "leaked", leaked.get()));
    }

    /** Settings for a {@link LeakTracker}; default: SAMPLED, 1 in 128, at most 10 000 tracked. */
    public static final class Builder {
        private String name = "resources";
        private Level level = Level.SAMPLED;
        private int samplingInterval = 128;
        private int maxTracked = 10_000;
        private InstantSource clock = InstantSource.system();
        private @Nullable ResourceRegistry registry;

        private Builder() {}

        public Builder name(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a leak tracker's name cannot be blank");
            }
            this.name = name;
            return this;
        }

        public Builder level(Level level) {
            this.level = level;
            return this;
        }

        /** With SAMPLED, one resource in this many is tracked. */
        public Builder samplingInterval(int interval) {
            if (interval < 1) {
                throw new IllegalArgumentException("the sampling interval is at least 1, not " + interval);
            }
            this.samplingInterval = interval;
            return this;
        }

        public Builder maxTracked(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTracked is at least 1, not " + max);
            }
            this.maxTracked = max;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        public <T> LeakTracker<T> build() {
            LeakTracker<T> tracker = new LeakTracker<>(this);
            if (registry != null) {
                registry.register(name, tracker);
            }
            return tracker;
        }
    }
}
