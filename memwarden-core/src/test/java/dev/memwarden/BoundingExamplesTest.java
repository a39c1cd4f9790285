package dev.memwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import dev.memwarden.bounded.BoundedQueue;
import dev.memwarden.bounded.Caches;
import dev.memwarden.bounded.ClientRegistry;
import dev.memwarden.bounded.LeakTracker;
import dev.memwarden.bounded.ListenerRegistry;
import dev.memwarden.bounded.RingBuffer;
import dev.memwarden.bounded.TrackedScheduler;
import dev.memwarden.budget.MemoryBudget;
import dev.memwarden.health.Level;
import dev.memwarden.lifecycle.ShutdownCoordinator;
import dev.memwarden.lifecycle.ShutdownCoordinator.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/bounding.md, kept compiling and running. Each block is one snippet. */
class BoundingExamplesTest {
    @TempDir
    Path tmp;

    record Sample(long timestamp, double value) {}

    record Emitter(String id) {
        void complete() {}
    }

    interface PriceListener {
        void onPrice(double price);
    }

    record Subscription(String callId) {}

    static final class Connection implements AutoCloseable {
        private final LeakTracker.Handle leak;

        Connection(LeakTracker<Connection> tracker) {
            this.leak = tracker.track(this); // remembers where it was opened
        }

        @Override
        public void close() {
            leak.close();
        }
    }

    @Test
    void theExamplesRun() throws Exception {
        try (Memwarden memwarden = Memwarden.builder().start()) {
            // capped metrics array
            RingBuffer<Sample> latency = RingBuffer.builder()
                    .name("latency-samples")
                    .capacity(10_000)
                    .registry(memwarden.resources())
                    .build();
            latency.add(new Sample(System.currentTimeMillis(), 12.5)); // the oldest is overwritten when full

            // dead-letter queue
            BoundedQueue<String> deadLetters = BoundedQueue.<String>builder()
                    .name("dead-letters")
                    .capacity(1_000)
                    .overflow(BoundedQueue.Overflow.SPILL)
                    .spillTo(tmp.resolve("dead-letters"), BoundedQueue.Codec.utf8())
                    .spillMaxBytes(256L << 20)
                    .registry(memwarden.resources())
                    .build();
            deadLetters.offer("{\"order\": 42}");
            deadLetters.drain(
                    letter -> {
                        /* retry it */
                    },
                    100);

            // SSE client list
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
            ClientRegistry<Emitter> sseClients = ClientRegistry.builder()
                    .name("sse-clients")
                    .maxClients(500)
                    .whenFull(ClientRegistry.WhenFull.EVICT_OLDEST)
                    .idleTimeout(Duration.ofMinutes(5))
                    .maxAge(Duration.ofHours(2))
                    .refuseNewWhen(() -> memwarden.health().level() == Level.CRITICAL)
                    .sweepEvery(Duration.ofSeconds(30), executor)
                    .registry(memwarden.resources())
                    .build((emitter, reason) -> emitter.complete());
            ClientRegistry.Admission admission = sseClients.admit(new Emitter("browser-1"));
            if (!admission.admitted()) {
                // answer 503 with admission.reason()
            }

            // subscriptions kept for hours
            Cache<String, Subscription> subscriptions = Caches.<String, Subscription>builder("subscriptions")
                    .maximumEntries(50_000)
                    .expireAfterAccess(Duration.ofMinutes(30))
                    .registry(memwarden.resources())
                    .build();
            subscriptions.put("call-7", new Subscription("call-7"));

            // timers never cancelled
            TrackedScheduler timers = TrackedScheduler.builder(executor)
                    .name("timers")
                    .warnAbove(1_000)
                    .registry(memwarden.resources())
                    .build();
            timers.schedule(
                    "session-timeout",
                    () -> {
                        /* expire the session */
                    },
                    Duration.ofMinutes(20));
            timers.maintenance("trim-history", Duration.ofMinutes(5), () -> {
                /* trim */
            });

            // listeners never removed
            ListenerRegistry<PriceListener> prices = ListenerRegistry.builder()
                    .name("price-listeners")
                    .maxListeners(50)
                    .registry(memwarden.resources())
                    .build();
            try (AutoCloseable subscription = prices.add("EURUSD", price -> {
                /* update the view */
            })) {
                prices.fire("EURUSD", listener -> listener.onPrice(1.0842));
            }

            // connections never closed
            LeakTracker<Connection> connections = LeakTracker.builder()
                    .name("db-connections")
                    .level(LeakTracker.Level.SAMPLED)
                    .registry(memwarden.resources())
                    .build();
            try (Connection connection = new Connection(connections)) {
                // use it
            }

            // shutdown that hangs
            ShutdownCoordinator shutdown = ShutdownCoordinator.builder()
                    .deadline(Duration.ofSeconds(20))
                    .build();
            shutdown.step(Phase.STOP_ACCEPTING, "refuse new clients", () -> {
                /* stop the server */
            });
            shutdown.step(Phase.CLOSE_CLIENTS, "sse clients", Duration.ofSeconds(3), sseClients::close);
            shutdown.step(Phase.STOP_TIMERS, "timers", timers::cancelAll);
            shutdown.step(Phase.FLUSH, "dead letters", deadLetters::close);
            shutdown.installShutdownHook();

            // budget
            MemoryBudget budget = MemoryBudget.plan(512L << 20, List.of("-Xmx384m"), 200);
            Consumer<String> print = line -> {};
            print.accept(budget.describe()); // OVER: direct memory is unset, so it may grow as large as the heap

            // what the examples above did, checked
            assertThat(memwarden.resources().resources()).hasSize(7);
            assertThat(deadLetters.size()).isZero();
            // Admitted, unless this test JVM's own memory health is critical (the suite before it runs many full GCs).
            assertThat(admission.admitted() || admission.reason().contains("critical"))
                    .as(admission.reason())
                    .isTrue();
            assertThat(budget.verdict()).isEqualTo(MemoryBudget.Verdict.OVER);
            shutdown.removeShutdownHook();
            ShutdownCoordinator.Report report = shutdown.shutdown();
            assertThat(report.clean()).isTrue();
            executor.shutdownNow();
        }
    }
}
