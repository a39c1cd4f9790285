package dev.memwarden.bounded;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Listeners per event, counted, with the warning Node.js made famous: when one event gathers more than
 * {@code maxListeners}, a warning is logged carrying the stack of the {@code add} that crossed the line, which is
 * usually the leak. With {@code rejectAbove}, further adds are refused outright.
 *
 * <p>{@link #fire} calls each listener guarded: one that throws is logged (rate-limited) and the others still run.
 * Thread-safe; each event's listeners are kept in a copy-on-write array, so firing never blocks adding.
 */
public final class ListenerRegistry<L> implements Tracked {
    private static final System.Logger LOG = System.getLogger(ListenerRegistry.class.getName());

    private final String name;
    private final int maxListeners;
    private final int rejectAbove;
    private final Map<String, Listeners> byEvent = new ConcurrentHashMap<>();
    private final RateLimitedLogger log = RateLimitedLogger.builder(LOG).build();
    private final AtomicLong added = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong warnings = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile List<String> growthSite = List.of();

    private ListenerRegistry(Builder builder) {
        this.name = builder.name;
        this.maxListeners = builder.maxListeners;
        this.rejectAbove = builder.rejectAbove;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a listener to an event; the returned handle removes it.
     *
     * @throws IllegalStateException when {@code rejectAbove} is set and the event already has that many
     */
    public AutoCloseable add(String event, L listener) {
        while (true) {
            Listeners listeners = byEvent.computeIfAbsent(event, e -> new Listeners());
            int size;
            synchronized (listeners) {
                if (listeners.retired) {
                    continue; // remove() dropped it from the map as it emptied: adding to it would lose the listener
                }
                Object[] current = listeners.all;
                if (rejectAbove > 0 && current.length >= rejectAbove) {
                    throw new IllegalStateException("'" + name + "': event '" + event + "' already has "
                            + current.length + " listeners, the most allowed; remove some first");
                }
                Object[] grown = Arrays.copyOf(current, current.length + 1);
                grown[current.length] = listener;
                listeners.all = grown;
                size = grown.length;
                if (size > maxListeners && !listeners.warned) {
                    listeners.warned = true;
                    warn(event, size);
                }
            }
            added.incrementAndGet();
            return () -> remove(event, listener);
        }
    }

    private void warn(String event, int size) {
        warnings.incrementAndGet();
        Throwable addedHere = new Throwable("listener added here");
        growthSite = GrowthSite.of(addedHere, ListenerRegistry.class);
        LOG.log(
                System.Logger.Level.WARNING,
                "'" + name + "': event '" + event + "' has " + size + " listeners, more than " + maxListeners
                        + "; a listener added and never removed is a leak. The add that crossed the line:",
                addedHere);
    }

    /** Removes one registration of the listener (the first that equals it); false when it was not there. */
    public boolean remove(String event, L listener) {
        Listeners listeners = byEvent.get(event);
        if (listeners == null) {
            return false;
        }
        synchronized (listeners) {
            Object[] current = listeners.all;
            int at = Arrays.asList(current).indexOf(listener);
            if (at < 0) {
                return false;
            }
            if (current.length == 1) {
                listeners.all = Listeners.NONE;
                listeners.retired = true;
                byEvent.remove(event, listeners);
            } else {
                Object[] shrunk = new Object[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, at);
                System.arraycopy(current, at + 1, shrunk, at, shrunk.length - at);
                listeners.all = shrunk;
            }
            if (current.length - 1 <= maxListeners) {
                listeners.warned = false; // warn again if it climbs back
            }
        }
        removed.incrementAndGet();
        return true;
    }

    /** Calls {@code action} with every listener of the event; returns how many threw. */
    @SuppressWarnings("unchecked") // only Ls are added
    public int fire(String event, Consumer<? super L> action) {
        Listeners listeners = byEvent.get(event);
        if (listeners == null) {
            return 0;
        }
        int failed = 0;
        for (Object listener : listeners.all) {
            try {
                action.accept((L) listener);
            } catch (RuntimeException | Error e) {
                failed++;
                listenerFailed(event, e);
            }
        }
        return failed;
    }

    /** Kept out of {@link #fire} so that its loop stays small enough to inline. */
    private void listenerFailed(String event, Throwable e) {
        failures.incrementAndGet();
        log.log(
                "fire:" + event,
                System.Logger.Level.WARNING,
                () -> "'" + name + "': a listener of '" + event + "' failed",
                e);
    }

    public int count(String event) {
        Listeners listeners = byEvent.get(event);
        return listeners == null ? 0 : listeners.all.length;
    }

    /** Listeners per event, a snapshot. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        byEvent.forEach((event, listeners) -> counts.put(event, listeners.all.length));
        return counts;
    }

    public int total() {
        int total = 0;
        for (Listeners listeners : byEvent.values()) {
            total += listeners.all.length;
        }
        return total;
    }

    /**
     * One event's listeners. The array is copied on every change, so {@link #fire} reads it without a lock and never
     * waits for an add; changes happen under this object's lock, which also guards the flags. (A {@code
     * CopyOnWriteArrayList} would take a second lock of its own inside this one.)
     */
    private static final class Listeners {
        static final Object[] NONE = {};

        volatile Object[] all = NONE;

        /** Above {@code maxListeners} and warned about; guarded by this. */
        boolean warned;

        /** Emptied and dropped from the map; guarded by this. */
        boolean retired;
    }

    @Override
    public Tracked.State describe() {
        return new Tracked.State(
                name,
                Tracked.State.Kind.LISTENERS,
                total(),
                rejectAbove > 0 ? OptionalLong.of(rejectAbove) : OptionalLong.empty(),
                OptionalLong.empty(),
                Map.of(
                        "added", added.get(),
                        "removed", removed.get(),
                        "warnings", warnings.get(),
                        "failures", failures.get()),
                growthSite);
    }

    /** Settings for a {@link ListenerRegistry}; default: warn above 10 listeners per event, never reject. */
    public static final class Builder {
        private String name = "listeners";
        private int maxListeners = 10;
        private int rejectAbove;
        private @Nullable ResourceRegistry registry;

        private Builder() {}

        public Builder name(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a listener registry's name cannot be blank");
            }
            this.name = name;
            return this;
        }

        /** Listeners per event above which a warning with the adding stack is logged. */
        public Builder maxListeners(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxListeners is at least 1, not " + max);
            }
            this.maxListeners = max;
            return this;
        }

        /** Listeners per event beyond which {@code add} throws; 0 (the default) never refuses. */
        public Builder rejectAbove(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("rejectAbove cannot be negative: " + limit);
            }
            this.rejectAbove = limit;
            return this;
        }

        public Builder registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        public <L> ListenerRegistry<L> build() {
            if (rejectAbove > 0 && rejectAbove < maxListeners) {
                throw new IllegalStateException(
                        "rejectAbove (" + rejectAbove + ") must be at least maxListeners (" + maxListeners + ")");
            }
            ListenerRegistry<L> listeners = new ListenerRegistry<>(this);
            if (registry != null) {
                registry.register(name, listeners);
            }
            return listeners;
        }
    }
}
