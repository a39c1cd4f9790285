package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.telemetry.GcEvent;
import dev.memwarden.testing.ManualClock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GC monitor's derivations, fed with events; {@link GcMonitorGcTest} runs it against real collectors. */
class GcMonitorTest {
    private final ManualClock clock = ManualClock.at2026();

    private static GarbageCollectorMXBean collector(String name) {
        return (GarbageCollectorMXBean) Proxy.newProxyInstance(
                GcMonitorTest.class.getClassLoader(),
                new Class<?>[] {GarbageCollectorMXBean.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static MemoryPoolMXBean heapPool(String name) {
        return (MemoryPoolMXBean) Proxy.newProxyInstance(
                GcMonitorTest.class.getClassLoader(),
                new Class<?>[] {MemoryPoolMXBean.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getType" -> MemoryType.HEAP;
                    case "getUsage" -> new MemoryUsage(0, 0, 0, -1);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A monitor of collectors and heap pools with these names, keeping {@code capacity} events. */
    private GcMonitor monitor(List<String> collectors, List<String> pools, int capacity) {
        return new GcMonitor(
                collectors.stream().map(GcMonitorTest::collector).toList(),
                pools.stream().map(GcMonitorTest::heapPool).toList(),
                capacity,
                clock,
                0);
    }

    private GcMonitor g1() {
        return monitor(
                List.of("G1 Young Generation", "G1 Old Generation"),
                List.of("G1 Eden Space", "G1 Survivor Space", "G1 Old Gen"),
                256);
    }

    private GcMonitor parallel() {
        return monitor(
                List.of("PS Scavenge", "PS MarkSweep"),
                List.of("PS Eden Space", "PS Survivor Space", "PS Old Gen"),
                256);
    }

    private GcMonitor zgc() {
        return monitor(List.of("ZGC Cycles", "ZGC Pauses"), List.of("ZHeap"), 16);
    }

    private GcEvent event(
            long id,
            String collector,
            boolean pause,
            long millis,
            long heapBefore,
            long heapAfter,
            GcEvent.PoolChange... pools) {
        return new GcEvent(
                id,
                collector,
                GcMonitor.generation(collector, ""),
                pause,
                "end of GC",
                "test",
                clock.instant(),
                Duration.ofMillis(millis),
                Arrays.asList(pools),
                heapBefore,
                heapAfter);
    }

    @Test
    void liveSetOfAGenerationalCollectorIsTheOldGenerationAndSurvivorsAfterGc() {
        try (GcMonitor monitor = g1()) {
            assertThat(monitor.liveSet()).isEmpty();
            assertThat(monitor.measuresWholeHeap()).isFalse();

            monitor.record(event(
                    1,
                    "G1 Young Generation",
                    true,
                    5,
                    900,
                    400,
                    new GcEvent.PoolChange("G1 Eden Space", 600, 0),
                    new GcEvent.PoolChange("G1 Survivor Space", 0, 50),
                    new GcEvent.PoolChange("G1 Old Gen", 300, 350)));

            assertThat(monitor.liveSet()).hasValue(400);

            // G1 Remark does not collect eden; what eden holds is not counted as live.
            monitor.record(event(
                    2,
                    "G1 Concurrent GC",
                    true,
                    2,
                    700,
                    700,
                    new GcEvent.PoolChange("G1 Eden Space", 300, 300),
                    new GcEvent.PoolChange("G1 Survivor Space", 50, 50),
                    new GcEvent.PoolChange("G1 Old Gen", 350, 340)));

            assertThat(monitor.liveSet()).hasValue(390);
        }
    }

    @Test
    void liveSetAfterAFullCollectionCountsWhatItLeftInEden() {
        try (GcMonitor monitor = parallel()) {
            // As Parallel logs it near the end of a leak, "218M->184M": the old generation is full at 170 MB, and
            // 14 MB that are as live as the rest stay in eden.
            monitor.record(event(
                    1,
                    "PS MarkSweep",
                    true,
                    20,
                    218,
                    184,
                    new GcEvent.PoolChange("PS Eden Space", 48, 14),
                    new GcEvent.PoolChange("PS Survivor Space", 0, 0),
                    new GcEvent.PoolChange("PS Old Gen", 170, 170)));

            assertThat(monitor.liveSet()).hasValue(184);
        }
    }

    @Test
    void liveSetOfZgcIsTheWholeHeapAfterACycleNotAPause() {
        try (GcMonitor monitor = zgc()) {
            assertThat(monitor.measuresWholeHeap()).isTrue();

            monitor.record(event(1, "ZGC Pauses", true, 1, 800, 800));
            assertThat(monitor.liveSet()).isEmpty();

            monitor.record(event(1, "ZGC Cycles", false, 40, 800, 300));
            assertThat(monitor.liveSet()).hasValue(300);
        }
    }

    @Test
    void overheadIsPauseTimeOverTheLastMinute() {
        try (GcMonitor monitor = g1()) {
            clock.advance(Duration.ofSeconds(30));
            monitor.record(event(1, "G1 Young Generation", true, 3000, 0, 0));
            assertThat(monitor.overhead()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));

            // Sampled every second for two minutes with no further GC: the pause leaves the window.
            for (int s = 0; s < 120; s++) {
                clock.advance(Duration.ofSeconds(1));
                monitor.observe(clock.millis(), 0);
            }
            assertThat(monitor.overhead()).isZero();
        }
    }

    @Test
    void concurrentCyclesDoNotCountAsPauseTime() {
        try (GcMonitor monitor = zgc()) {
            clock.advance(Duration.ofSeconds(10));
            monitor.record(event(1, "ZGC Cycles", false, 5000, 0, 0));
            monitor.record(event(1, "ZGC Pauses", true, 100, 0, 0));
            assertThat(monitor.overhead()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void allocationRateCountsGrowthBetweenSamplesAndCollections() {
        try (GcMonitor monitor = g1()) {
            monitor.observe(clock.millis(), 100);
            for (int s = 1; s <= 10; s++) {
                clock.advance(Duration.ofSeconds(1));
                monitor.observe(clock.millis(), 100 + s * 1000L);
            }
            // 10 000 bytes in 10 s, then a GC that found 500 more than the last sample and left 200.
            monitor.record(event(1, "G1 Young Generation", true, 1, 10_600, 200));
            clock.advance(Duration.ofSeconds(10));
            monitor.observe(clock.millis(), 2200);

            // 10 000 + 500 + 2000 bytes over 20 s.
            assertThat(monitor.allocationRate()).isCloseTo(625, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void keepsOnlyTheLastCapacityEvents() {
        try (GcMonitor monitor = monitor(List.of("PS Scavenge"), List.of("PS Old Gen"), 4)) {
            for (int i = 1; i <= 10; i++) {
                monitor.record(event(i, "PS Scavenge", true, 1, 10, 5));
            }
            assertThat(monitor.eventCount()).isEqualTo(10);
            assertThat(monitor.events()).extracting(GcEvent::id).containsExactly(7L, 8L, 9L, 10L);
        }
    }

    @Test
    void classifiesCollectorsAsMinorOrMajor() {
        assertThat(GcMonitor.generation("G1 Young Generation", "end of minor GC"))
                .isEqualTo(GcEvent.Generation.MINOR);
        assertThat(GcMonitor.generation("G1 Old Generation", "end of major GC")).isEqualTo(GcEvent.Generation.MAJOR);
        assertThat(GcMonitor.generation("ZGC Minor Cycles", "end of GC cycle")).isEqualTo(GcEvent.Generation.MINOR);
        assertThat(GcMonitor.generation("ZGC Cycles", "end of GC cycle")).isEqualTo(GcEvent.Generation.MAJOR);
        assertThat(GcMonitor.generation("Copy", "")).isEqualTo(GcEvent.Generation.MINOR);
        assertThat(GcMonitor.generation("MarkSweepCompact", "")).isEqualTo(GcEvent.Generation.MAJOR);
    }
}
