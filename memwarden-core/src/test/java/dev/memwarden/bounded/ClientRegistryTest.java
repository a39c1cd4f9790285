package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.memwarden.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ClientRegistryTest {
    private final ManualClock clock = ManualClock.at2026();
    private final Map<String, ClientRegistry.EvictionReason> closed = new ConcurrentHashMap<>();

    private ClientRegistry<String> registry(ClientRegistry.WhenFull whenFull) {
        return ClientRegistry.builder()
                .name("sse")
                .maxClients(3)
                .whenFull(whenFull)
                .idleTimeout(Duration.ofMinutes(1))
                .maxAge(Duration.ofHours(1))
                .clock(clock)
                .build(closed::put);
    }

    @Test
    void evictOldestMakesRoomAndClosesTheEvicted() {
        ClientRegistry<String> clients = registry(ClientRegistry.WhenFull.EVICT_OLDEST);
        for (String c : List.of("a", "b", "c", "d")) {
            assertThat(clients.admit(c).admitted()).isTrue();
        }
        assertThat(clients.size()).isEqualTo(3);
        assertThat(closed).containsExactly(Map.entry("a", ClientRegistry.EvictionReason.FULL));
    }

    @Test
    void rejectNewRefusesWithAReason() {
        ClientRegistry<String> clients = registry(ClientRegistry.WhenFull.REJECT_NEW);
        for (String c : List.of("a", "b", "c")) {
            clients.admit(c);
        }
        ClientRegistry.Admission refused = clients.admit("d");
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.reason()).isEqualTo("'sse' is full (3 clients)");
        assertThat(clients.describe().counter("refusedFull")).isEqualTo(1);
        assertThat(closed).isEmpty();
    }

    @Test
    void idleAndOldClientsAreSweptAndActivityKeepsOneAlive() {
        ClientRegistry<String> clients = registry(ClientRegistry.WhenFull.REJECT_NEW);
        long active = clients.admit("active").id();
        clients.admit("idle");

        clock.advance(Duration.ofSeconds(50));
        clients.touch(active);
        clock.advance(Duration.ofSeconds(20));
        assertThat(clients.sweep()).isEqualTo(1);
        assertThat(closed).containsExactly(Map.entry("idle", ClientRegistry.EvictionReason.IDLE));

        for (int i = 0; i < 70; i++) {
            clock.advance(Duration.ofMinutes(1));
            clients.touch(active);
            clients.sweep();
        }
        assertThat(closed).containsEntry("active", ClientRegistry.EvictionReason.MAX_AGE);
        assertThat(clients.size()).isZero();
    }

    @Test
    void newcomersAreRefusedWhileHealthIsCritical() {
        AtomicBoolean critical = new AtomicBoolean(true);
        ClientRegistry<String> clients = ClientRegistry.builder()
                .maxClients(10)
                .refuseNewWhen(critical::get)
                .build((c, r) -> {});
        assertThat(clients.admit("a").reason()).contains("memory health is critical");
        critical.set(false);
        assertThat(clients.admit("a").admitted()).isTrue();
        assertThat(clients.describe().counter("refusedHealth")).isEqualTo(1);
    }

    @Test
    void aThrowingCloseCallbackDoesNotStopTheSweep() {
        List<String> attempted = new ArrayList<>();
        ClientRegistry<String> clients = ClientRegistry.builder()
                .maxClients(10)
                .idleTimeout(Duration.ofSeconds(1))
                .clock(clock)
                .build((c, r) -> {
                    attempted.add(c);
                    throw new IllegalStateException("socket already gone");
                });
        clients.admit("a");
        clients.admit("b");
        clock.advance(Duration.ofSeconds(2));
        assertThat(clients.sweep()).isEqualTo(2);
        assertThat(attempted).containsExactly("a", "b");
    }

    @Test
    void theScheduledSweepRuns() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (ClientRegistry<String> clients = ClientRegistry.builder()
                .maxClients(10)
                .idleTimeout(Duration.ofMillis(1))
                .sweepEvery(Duration.ofMillis(10), executor)
                .build(closed::put)) {
            clients.admit("gone-quiet");
            await().atMost(Duration.ofSeconds(10)).until(() -> clients.size() == 0);
            assertThat(closed).containsKey("gone-quiet");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void concurrentAdmissionsNeverExceedTheMaximumAndCountersAddUp() throws Exception {
        ClientRegistry<Integer> clients = ClientRegistry.builder()
                .maxClients(50)
                .whenFull(ClientRegistry.WhenFull.EVICT_OLDEST)
                .build((c, r) -> {});
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    ClientRegistry.Admission a = clients.admit(i);
                    assertThat(clients.size()).isLessThanOrEqualTo(50);
                    if (i % 3 == 0) {
                        clients.remove(a.id());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Tracked.State d = clients.describe();
        assertThat(d.counter("admitted")).isEqualTo(80_000);
        assertThat(d.counter("admitted") - d.counter("removed") - d.counter("evictedFull"))
                .isEqualTo(d.size());
    }
}
