package dev.memwarden.bounded;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Connected clients (SSE streams, WebSockets) with a maximum, a policy when full, an idle timeout and a maximum
 * age, and refusal of newcomers while the service is in trouble. The fix for the client list that only grows
 * because disconnects are not always noticed.
 *
 * <p>Evicted clients are handed to the close callback, called outside the lock and guarded: one that throws is
 * logged and the sweep goes on. Idle and age limits are enforced by {@link #sweep()}, which
 * {@link Builder#sweepEvery} schedules. Thread-safe.
 */
public final class ClientRegistry<C> implements Tracked, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClientRegistry.class.getName());

    /** What to do with a newcomer when the registry is full. */
    public enum WhenFull {
        EVICT_OLDEST,
        REJECT_NEW
    }

    /** Why a client left the registry without removing itself. */
    public enum EvictionReason {
        FULL,
        IDLE,
        MAX_AGE,
        SHUTDOWN
    }

    /**
     * The answer to {@link #admit}: an id to pass to {@link #touch} and {@link #remove}, or the reason for
     * refusal, fit to send back to the client (e.g. with a 503).
     */
    public record Admission(boolean admitted, long id, String reason) {}

    private final String name;
    private final int maxClients;
    private final WhenFull whenFull;
    private final long idleMillis;
    private final long maxAgeMillis;
    private final BiConsumer<? super C, EvictionReason> onEvict;
    private final @Nullable BooleanSupplier refuseNew;
    private final InstantSource clock;
    private final RateLimitedLogger log = RateLimitedLogger.builder(LOG).build();
    private final LinkedHashMap<Long, Entry<C>> clients = new LinkedHashMap<>();
    private long admitted;
    private long removed;
    private long evictedFull;
    private long evictedIdle;
    private long evictedAge;
    private long refusedFull;
    private long refusedHealth;
    private @Nullable ScheduledFuture<?> sweeper;
    private long nextId = 1;

    private static final class Entry<C> {
        final C client;
        final long admittedAt;
        long lastActivity;

        Entry(C client, long now) {
            this.client = client;
            this.admittedAt = now;
            this.lastActivity = now;
        }
    }

    private ClientRegistry(Builder builder, BiConsumer<? super C, EvictionReason> onEvict) {
        this.name = builder.name;
        this.maxClients = builder.maxClients;
        this.whenFull = builder.whenFull;
        this.idleMillis = builder.idleTimeout == null ? Long.MAX_VALUE : builder.idleTimeout.toMillis();
        this.maxAgeMillis = builder.maxAge == null ? Long.MAX_VALUE : builder.maxAge.toMillis();
        this.onEvict = onEvict;
        this.refuseNew = builder.refuseNewWhen;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Admits a client, evicting the oldest if the policy says so, or refuses it with a reason. */
    public Admission admit(C client) {
        Entry<C> evicted = null;
        Admission admission;
        synchronized (this) {
            if (refuseNew != null && refuseNew.getAsBoolean()) {
                refusedHealth++;
                return new Admission(false, 0, "'" + name + "' refuses new clients while memory health is critical");
            }
            if (clients.size() >= maxClients) {
                if (whenFull == WhenFull.REJECT_NEW) {
                    refusedFull++;
                    return new Admission(false, 0, "'" + name + "' is full (" + maxClients + " clients)");
                }
                Iterator<Entry<C>> oldest = clients.values().iterator();
                evicted = oldest.next();
                oldest.remove();
                evictedFull++;
            }
            long id = nextId++;
            clients.put(id, new Entry<>(client, clock.millis()));
            admitted++;
            admission = new Admission(true, id, "admitted");
        }
        if (evicted != null) {
            close(evicted.client, EvictionReason.FULL);
        }
        return admission;
    }

    /** Records activity, which resets the idle timer; false when the client is no longer registered. */
    public synchronized boolean touch(long id) {
        Entry<C> entry = clients.get(id);
        if (entry == null) {
            return false;
        }
        entry.lastActivity = clock.millis();
        return true;
    }

    /** The client left on its own; no close callback. */
    public synchronized boolean remove(long id) {
        boolean gone = clients.remove(id) != null;
        if (gone) {
            removed++;
        }
        return gone;
    }

    /** Evicts clients idle longer than the idle timeout or older than the maximum age; returns how many. */
    public int sweep() {
        List<Entry<C>> idle = new ArrayList<>();
        List<Entry<C>> old = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            Iterator<Entry<C>> it = clients.values().iterator();
            while (it.hasNext()) {
                Entry<C> entry = it.next();
                if (now - entry.admittedAt >= maxAgeMillis) {
                    old.add(entry);
                    it.remove();
                } else if (now - entry.lastActivity >= idleMillis) {
                    idle.add(entry);
                    it.remove();
                }
            }
            evictedIdle += idle.size();
            evictedAge += old.size();
        }
        idle.forEach(e -> close(e.client, EvictionReason.IDLE));
        old.forEach(e -> close(e.client, EvictionReason.MAX_AGE));
        return idle.size() + old.size();
    }

    /** Calls {@code action} for each client, outside the lock (a broadcast). */
    public void forEach(Consumer<? super C> action) {
        List<C> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(clients.size());
            clients.values().forEach(e -> snapshot.add(e.client));
        }
        snapshot.forEach(action);
    }

    public synchronized int size() {
        return clients.size();
    }

    public int maxClients() {
        return maxClients;
    }

    private void close(C client, EvictionReason reason) {
        try {
            onEvict.accept(client, reason);
        } catch (RuntimeException | Error e) {
            log.log("evict", System.Logger.Level.WARNING, () -> "'" + name + "': closing an evicted client failed", e);
        }
    }

    @Override
    public synchronized Tracked.State describe() {
        return new Tracked.State(
                name,
                Tracked.State.Kind.CLIENTS,
                clients.size(),
                OptionalLong.of(maxClients),
                OptionalLong.empty(),
                Map.of(
                        "admitted", admitted,
                        "removed", removed,
                        "evictedFull", evictedFull,
                        "evictedIdle", evictedIdle,
                        "evictedAge", evictedAge,
                        "refusedFull", refusedFull,
                        "refusedHealth", refusedHealth));
    }

    /** Stops the sweeper and closes every client with {@link EvictionReason#SHUTDOWN}. */
    @Override
    public void close() {
        List<Entry<C>> all;
        synchronized (this) {
            ScheduledFuture<?> s = sweeper;
            if (s != null) {
                s.cancel(false);
            }
            all = new ArrayList<>(clients.values());
            clients.clear();
        }
        all.forEach(e -> close(e.client, EvictionReason.SHUTDOWN));
    }

    /** Settings for a {@link ClientRegistry}; a maximum is required. */
    public static final class Builder {
        private String name = "clients";
        private int maxClients = -1;
        private WhenFull whenFull = WhenFull.REJECT_NEW;
        private @Nullable Duration idleTimeout;
        private @Nullable Duration maxAge;
        private @Nullable BooleanSupplier refuseNewWhen;
        private InstantSource clock = InstantSource.system();
        private @Nullable ScheduledExecutorService sweepExecutor;
        private Duration sweepPeriod = Duration.ofSeconds(30);
        private @Nullable ResourceRegistry registry;

        private Builder() {}

        public Builder name(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a client registry's name cannot be blank");
            }
            this.name = name;
            return this;
        }

        public Builder maxClients(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxClients is at least 1, not " + max);
            }
            this.maxClients = max;
            return this;
        }

        public Builder whenFull(WhenFull policy) {
            this.whenFull = policy;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        public Builder maxAge(Duration age) {
            this.maxAge = positive(age, "maxAge");
            return this;
        }

        /**
         * Refuses newcomers while this says so; wire it to health, e.g.
         * {@code () -> memwarden.health().level() == Level.CRITICAL}.
         */
        public Builder refuseNewWhen(BooleanSupplier condition) {
            this.refuseNewWhen = condition;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** Runs {@link #sweep()} every {@code period} on {@code executor}. */
        public Builder sweepEvery(Duration period, ScheduledExecutorService executor) {
            this.sweepPeriod = positive(period, "sweep period");
            this.sweepExecutor = executor;
            return this;
        }

        public Builder registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, not " + d);
            }
            return d;
        }

        /** Builds the registry; {@code onEvict} closes a client memwarden evicted (e.g. completes the SSE stream). */
        public <C> ClientRegistry<C> build(BiConsumer<? super C, EvictionReason> onEvict) {
            if (maxClients < 0) {
                throw new IllegalStateException("a client registry needs a maximum: call maxClients(n)");
            }
            ClientRegistry<C> clients = new ClientRegistry<>(this, onEvict);
            ScheduledExecutorService executor = sweepExecutor;
            if (executor != null) {
                long period = sweepPeriod.toMillis();
                clients.sweeper =
                        executor.scheduleWithFixedDelay(clients::guardedSweep, period, period, TimeUnit.MILLISECONDS);
            }
            if (registry != null) {
                registry.register(name, clients);
            }
            return clients;
        }
    }

    private void guardedSweep() {
        try {
            sweep();
        } catch (RuntimeException | Error e) {
            log.log("sweep", System.Logger.Level.WARNING, () -> "'" + name + "': sweep failed", e);
        }
    }
}
