package dev.memwarden.server.internal.api;

import dev.memwarden.Memwarden;
import dev.memwarden.bounded.ClientRegistry;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.internal.Json;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.server.internal.http.AdminGuard;
import dev.memwarden.server.internal.http.EventSink;
import dev.memwarden.server.internal.http.Request;
import dev.memwarden.server.internal.http.Response;
import dev.memwarden.server.internal.http.StreamEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/monitoring/memory/stream}: server-sent events, a {@code snapshot} (the stats) every second, and a
 * {@code health} or {@code verdict} event when either changes. Subscribers live in memwarden's own {@link
 * ClientRegistry}: at most {@link #MAX_SUBSCRIBERS}, newcomers refused with 503 when full, a subscriber that could not
 * be written to for {@link #IDLE} evicted, none kept longer than {@link #MAX_AGE} (it reconnects); the registry shows
 * in {@code /resources} like any other structure ({@link #watchedAs}).
 *
 * <p>Threads: the events are written by one daemon thread, and a write that blocks on a subscriber that stopped
 * reading is cut off after {@link #WRITE_TIMEOUT} by interrupting it, which closes that subscriber's connection. Both
 * run only while someone subscribes.
 */
public final class MemoryEventStream implements StreamEndpoint, AutoCloseable {
    static final int MAX_SUBSCRIBERS = 16;
    static final Duration IDLE = Duration.ofSeconds(30);
    static final Duration MAX_AGE = Duration.ofHours(1);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

    private final Memwarden memwarden;
    private final MemoryEndpoints endpoints;
    private final AdminGuard guard;
    private final ScheduledThreadPoolExecutor threads;
    private volatile @Nullable ClientRegistry<EventSink> subscribers;
    private final Map<EventSink, Long> ids = new ConcurrentHashMap<>();
    private @Nullable ScheduledFuture<?> ticking;
    private @Nullable ScheduledFuture<?> watching;
    private @Nullable Level lastLevel;
    private LeakReport.@Nullable Verdict lastVerdict;
    private final AtomicInteger writing = new AtomicInteger();
    private volatile long writeStartedNanos;
    private volatile @Nullable Thread writer;

    public MemoryEventStream(Memwarden memwarden, MemoryEndpoints endpoints, AdminGuard guard) {
        this.memwarden = memwarden;
        this.endpoints = endpoints;
        this.guard = guard;
        this.threads = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "memwarden-server-stream");
            thread.setDaemon(true);
            return thread;
        });
        threads.setKeepAliveTime(10, TimeUnit.SECONDS);
        threads.allowCoreThreadTimeOut(true);
        threads.setRemoveOnCancelPolicy(true);
    }

    /**
     * Puts the subscribers under watch in memwarden's registry, named by the server's port ({@code
     * memwarden.server.9400.subscribers}), so that two servers over one memwarden do not clash.
     */
    public void watchedAs(int port) {
        subscribers = ClientRegistry.builder()
                .name("memwarden.server." + port + ".subscribers")
                .maxClients(MAX_SUBSCRIBERS)
                .whenFull(ClientRegistry.WhenFull.REJECT_NEW)
                .idleTimeout(IDLE)
                .maxAge(MAX_AGE)
                .registry(memwarden.resources())
                .build((sink, reason) -> {
                    ids.remove(sink);
                    sink.close();
                });
    }

    @Override
    public String path() {
        return MemoryEndpoints.BASE + "/stream";
    }

    @Override
    public Optional<Response> subscribe(Request request, EventSink sink) {
        if (!guard.isOwnHost(request)) {
            return Optional.of(Response.error(403, "forbidden", "this server does not answer to that host"));
        }
        ClientRegistry<EventSink> subscribers = this.subscribers;
        if (subscribers == null) {
            return Optional.of(Response.error(503, "starting", "the server is starting; subscribe again"));
        }
        ClientRegistry.Admission admission = subscribers.admit(sink);
        if (!admission.admitted()) {
            return Optional.of(Response.error(503, "too_many_subscribers", admission.reason()));
        }
        ids.put(sink, admission.id());
        try {
            sink.send("snapshot", endpoints.stats());
        } catch (IOException e) {
            drop(sink);
            return Optional.empty();
        }
        startTicking();
        return Optional.empty();
    }

    private synchronized void startTicking() {
        if (ticking == null) {
            ticking = threads.scheduleWithFixedDelay(
                    this::tick, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            watching = threads.scheduleWithFixedDelay(this::cutOffStalledWrite, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Sends this second's events to every subscriber; stops once there are none. */
    private void tick() {
        ClientRegistry<EventSink> subscribers = this.subscribers;
        if (subscribers == null) {
            return;
        }
        subscribers.sweep();
        List<EventSink> all = new ArrayList<>();
        subscribers.forEach(all::add);
        if (all.isEmpty()) {
            stopTicking();
            return;
        }
        HealthStatus health = memwarden.health();
        LeakReport report = memwarden.leakReport();
        String healthEvent = health.level() != lastLevel ? Json.write(json -> JsonViews.health(json, health)) : null;
        String verdictEvent = report.verdict() != lastVerdict ? report.toJson() : null;
        lastLevel = health.level();
        lastVerdict = report.verdict();
        String snapshot = endpoints.stats();
        for (EventSink sink : all) {
            send(sink, healthEvent, verdictEvent, snapshot);
        }
    }

    private void send(EventSink sink, @Nullable String health, @Nullable String verdict, String snapshot) {
        writer = Thread.currentThread();
        writeStartedNanos = System.nanoTime();
        writing.incrementAndGet();
        try {
            if (health != null) {
                sink.send("health", health);
            }
            if (verdict != null) {
                sink.send("verdict", verdict);
            }
            sink.send("snapshot", snapshot);
            Long id = ids.get(sink);
            ClientRegistry<EventSink> subscribers = this.subscribers;
            if (id != null && subscribers != null) {
                subscribers.touch(id);
            }
        } catch (IOException e) {
            drop(sink);
        } finally {
            writing.decrementAndGet();
            Thread.interrupted(); // a cut-off meant for this write must not reach the next
        }
    }

    /** Interrupts a write that has blocked for {@link #WRITE_TIMEOUT}: its connection closes, the others go on. */
    private void cutOffStalledWrite() {
        Thread thread = writer;
        if (thread != null && writing.get() > 0 && System.nanoTime() - writeStartedNanos > WRITE_TIMEOUT.toNanos()) {
            thread.interrupt();
        }
    }

    private void drop(EventSink sink) {
        Long id = ids.remove(sink);
        ClientRegistry<EventSink> subscribers = this.subscribers;
        if (id != null && subscribers != null) {
            subscribers.remove(id);
        }
        sink.close();
    }

    private synchronized void stopTicking() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
            if (watching != null) {
                watching.cancel(false);
                watching = null;
            }
            lastLevel = null;
            lastVerdict = null;
        }
    }

    /** How many subscribe now. */
    public int subscribers() {
        ClientRegistry<EventSink> subscribers = this.subscribers;
        return subscribers == null ? 0 : subscribers.size();
    }

    @Override
    public void close() {
        ClientRegistry<EventSink> subscribers = this.subscribers;
        if (subscribers != null) {
            subscribers.close();
        }
        threads.shutdownNow();
    }
}
