package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.memwarden.telemetry.Timeline;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceRegistryTest {
    private static final long T0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    private final ResourceRegistry registry = ResourceRegistry.create(Timeline.Tier.DEFAULTS, 8);

    @Test
    void watchedStructuresAreSampledIntoTheirHistory() {
        Map<String, String> sessions = new HashMap<>();
        List<Integer> listeners = new ArrayList<>();
        registry.watch("sessions", sessions);
        registry.watch("listeners", listeners);

        for (int s = 0; s < 30; s++) {
            sessions.put("s" + s, "x");
            if (s % 2 == 0) {
                listeners.add(s);
            }
            registry.sample(T0 + s * 1000L);
        }

        assertThat(registry.resource("sessions").orElseThrow().size()).isEqualTo(30);
        assertThat(registry.resource("listeners").orElseThrow().kind()).isEqualTo(Tracked.State.Kind.WATCHED);
        List<Timeline.Series.Point> history = registry.history(
                        "sessions", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 29_000))
                .orElseThrow();
        assertThat(history).hasSize(30);
        assertThat(history.get(0).mean()).isEqualTo(1);
        assertThat(history.get(29).mean()).isEqualTo(30);
    }

    @Test
    void theRegistryKeepsNothingAlive() {
        WeakReference<Map<String, byte[]>> map = watchAndDrop();
        WeakReference<RingBuffer<String>> buffer = registerAndDrop();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return map.get() == null && buffer.get() == null;
        });
        registry.sample(T0);
        assertThat(registry.size()).isZero();
        assertThat(registry.resources()).isEmpty();
    }

    private WeakReference<Map<String, byte[]>> watchAndDrop() {
        Map<String, byte[]> map = new HashMap<>();
        map.put("big", new byte[1 << 20]);
        registry.watch("cache", map);
        return new WeakReference<>(map);
    }

    private WeakReference<RingBuffer<String>> registerAndDrop() {
        RingBuffer<String> buffer =
                RingBuffer.builder().name("ring").capacity(4).registry(registry).build();
        return new WeakReference<>(buffer);
    }

    @Test
    void aSupplierIsWatchedWhileItsHandleIsKept() {
        List<String> queue = new ArrayList<>(List.of("a", "b"));
        ResourceRegistry.Registration handle = registry.watch("queue", queue::size);
        assertThat(registry.resource("queue").orElseThrow().size()).isEqualTo(2);

        handle.close();

        assertThat(registry.resource("queue")).isEmpty();
        // The name is free again.
        registry.watch("queue", queue);
        assertThat(registry.resource("queue")).isPresent();
    }

    @Test
    void aFullRegistryRefusesWithAReasonAndFreedSlotsAreReused() {
        List<List<Integer>> kept = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<Integer> list = new ArrayList<>();
            kept.add(list);
            registry.watch("list-" + i, list);
        }
        assertThatThrownBy(() -> registry.watch("one-more", new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full (8 resources)");
        assertThatThrownBy(() -> registry.watch("list-0", new ArrayList<>())).hasMessageContaining("already watched");

        kept.remove(7);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return registry.size() == 7;
        });
        try (ResourceRegistry.Registration handle = registry.watch("replacement", () -> 42)) {
            assertThat(registry.resource("replacement").orElseThrow().size()).isEqualTo(42);
        }
        // The other seven lists must stay reachable until here, or their slots would free too.
        Reference.reachabilityFence(kept);
    }

    @Test
    void footprintIsKnownUpFront() {
        assertThat(ResourceRegistry.footprintBytes(Timeline.Tier.DEFAULTS, 64)).isBetween(3_000_000L, 4_000_000L);
    }
}
