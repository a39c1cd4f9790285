package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ListenerRegistryTest {
    @Test
    void warnsOnceWithTheStackOfTheAddThatCrossedTheLine() throws Exception {
        ListenerRegistry<Runnable> registry =
                ListenerRegistry.builder().name("price-updates").maxListeners(3).build();
        try (CapturedLog log = new CapturedLog(ListenerRegistry.class)) {
            for (int i = 0; i < 3; i++) {
                registry.add("tick", () -> {});
            }
            assertThat(log.records).isEmpty();
            assertThat(registry.describe().growthSite()).isEmpty();

            subscribePerRequest(registry);
            subscribePerRequest(registry);

            assertThat(log.records).hasSize(1);
            LogRecord warning = log.records.get(0);
            assertThat(warning.getMessage()).contains("'price-updates'").contains("'tick' has 4 listeners");
            assertThat(Arrays.stream(warning.getThrown().getStackTrace()))
                    .anyMatch(frame -> frame.getMethodName().equals("subscribePerRequest"));
        }
        assertThat(registry.describe().counter("warnings")).isEqualTo(1);
        // The leak detector reports the same stack with the structure, from its caller on, as it writes frames.
        assertThat(registry.describe().growthSite().get(0))
                .matches("dev\\.memwarden\\.bounded\\.ListenerRegistryTest\\.subscribePerRequest:\\d+");
    }

    private static void subscribePerRequest(ListenerRegistry<Runnable> registry) {
        registry.add("tick", () -> {});
    }

    @Test
    void handlesRemoveAndCountsAddUp() throws Exception {
        ListenerRegistry<Runnable> registry = ListenerRegistry.builder().build();
        AutoCloseable a = registry.add("open", () -> {});
        registry.add("open", () -> {});
        registry.add("close", () -> {});

        assertThat(registry.counts()).containsEntry("open", 2).containsEntry("close", 1);
        a.close();
        assertThat(registry.count("open")).isEqualTo(1);
        assertThat(registry.total()).isEqualTo(2);
        Tracked.State described = registry.describe();
        assertThat(described.counter("added") - described.counter("removed")).isEqualTo(described.size());
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        ListenerRegistry<Runnable> registry = ListenerRegistry.builder().build();
        AtomicInteger calls = new AtomicInteger();
        registry.add("e", calls::incrementAndGet);
        registry.add("e", () -> {
            throw new IllegalStateException("broken listener");
        });
        registry.add("e", calls::incrementAndGet);

        assertThat(registry.fire("e", Runnable::run)).isEqualTo(1);
        assertThat(calls).hasValue(2);
        assertThat(registry.describe().counter("failures")).isEqualTo(1);
    }

    @Test
    void aHardLimitRefusesFurtherAdds() {
        ListenerRegistry<Runnable> registry =
                ListenerRegistry.builder().maxListeners(2).rejectAbove(5).build();
        for (int i = 0; i < 5; i++) {
            registry.add("e", () -> {});
        }
        assertThatThrownBy(() -> registry.add("e", () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has 5 listeners");
        assertThat(registry.count("e")).isEqualTo(5);
    }

    @Test
    void concurrentAddsAndRemovesKeepTheLimitAndTheCounts() throws Exception {
        ListenerRegistry<Object> registry =
                ListenerRegistry.builder().maxListeners(50).rejectAbove(100).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 5_000; i++) {
                    Object listener = new Object();
                    try {
                        AutoCloseable handle = registry.add("e", listener);
                        assertThat(registry.count("e")).isLessThanOrEqualTo(100);
                        if (i % 2 == 0) {
                            handle.close();
                        }
                    } catch (IllegalStateException full) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Tracked.State described = registry.describe();
        assertThat(described.size()).isLessThanOrEqualTo(100);
        assertThat(described.counter("added") - described.counter("removed")).isEqualTo(described.size());
        assertThat(described.counter("added") + refused.get()).isEqualTo(8 * 5_000);
    }

    @Test
    void noListenerIsLostWhenAnEventEmptiesWhileAnotherThreadAdds() throws Exception {
        for (int round = 0; round < 20; round++) {
            ListenerRegistry<Runnable> registry =
                    ListenerRegistry.builder().maxListeners(1000).build();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            AtomicInteger fired = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    // Empty the event over and over, then leave one listener that must survive.
                    for (int i = 0; i < 2_000; i++) {
                        registry.add("e", () -> {}).close();
                    }
                    registry.add("e", fired::incrementAndGet);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            registry.fire("e", Runnable::run);
            assertThat(fired).as("round %d", round).hasValue(4);
        }
    }
}
