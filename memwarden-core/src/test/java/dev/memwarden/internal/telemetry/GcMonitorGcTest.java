package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.memwarden.telemetry.GcEvent;
import dev.memwarden.telemetry.Metric;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The GC monitor against the collector this JVM runs. Tagged {@code gc}: Surefire runs it once per collector
 * (G1, Parallel, Serial, ZGC, Shenandoah), each in its own JVM.
 */
@Tag("gc")
class GcMonitorGcTest {
    private static volatile Object sink = new Object();

    private static void allocateGarbage(int megabytes) {
        for (int i = 0; i < megabytes; i++) {
            sink = new byte[1 << 20];
        }
    }

    private static Set<String> collectorNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void runsUnderTheCollectorItsExecutionAskedFor() {
        String expected = System.getProperty("memwarden.test.collector", "");
        assertThat(expected)
                .as("set by the Surefire execution for each collector")
                .isNotEmpty();
        assertThat(collectorNames()).anyMatch(name -> name.startsWith(expected));
    }

    @Test
    void seesRealCollectionsWithPoolsAndALiveSet() {
        try (GcMonitor monitor = GcMonitor.start(256, InstantSource.system())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                allocateGarbage(64);
                System.gc();
                return monitor.liveSet().isPresent() && monitor.eventCount() > 0;
            });

            boolean concurrentCollector =
                    collectorNames().stream().anyMatch(n -> n.startsWith("ZGC") || n.startsWith("Shenandoah"));
            // Concurrent collectors' pause notifications carry mid-cycle figures; their cycles carry the heap.
            List<GcEvent> events = monitor.events().stream()
                    .filter(e -> !concurrentCollector || !e.pause())
                    .toList();
            assertThat(events).isNotEmpty();
            GcEvent event = events.get(events.size() - 1);
            assertThat(collectorNames()).contains(event.collector());
            assertThat(event.duration().isNegative()).isFalse();
            assertThat(event.pools()).isNotEmpty();
            assertThat(event.cause()).isNotBlank();
            assertThat(event.heapAfter()).isPositive();
            assertThat(monitor.liveSet().getAsLong()).isPositive();
            assertThat(monitor.overhead()).isBetween(0.0, 1.0);
            assertThat(monitor.measuresWholeHeap()).isEqualTo(concurrentCollector);
        }
    }

    @Test
    void liveSetFollowsWhatTheApplicationRetains() {
        try (GcMonitor monitor = GcMonitor.start(256, InstantSource.system())) {
            long before = settledLiveSet(monitor);
            // 64 KiB arrays: a 1 MiB array would be humongous under G1 and take two whole regions.
            byte[][] retained = new byte[768][];
            for (int i = 0; i < retained.length; i++) {
                retained[i] = new byte[64 << 10];
            }
            long after = settledLiveSet(monitor);
            // 48 MiB retained; allow for whatever else the JVM did meanwhile.
            assertThat(after - before).isBetween(40L << 20, 64L << 20);
            assertThat(retained[767]).hasSize(64 << 10);
        }
    }

    /** The live set after an explicit full collection, once the collector has reported it. */
    private static long settledLiveSet(GcMonitor monitor) {
        long seen = monitor.eventCount();
        System.gc();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (monitor.eventCount() == seen) {
                System.gc();
            }
            return monitor.eventCount() > seen && monitor.liveSet().isPresent();
        });
        // A concurrent collector may report the cycle after the pause; take the newest cycle that ended.
        long last = monitor.eventCount();
        System.gc();
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.eventCount() > last);
        return monitor.liveSet().getAsLong();
    }

    @Test
    void allocationRateRisesWhileAllocating() {
        try (GcMonitor monitor = GcMonitor.start(256, InstantSource.system())) {
            SampleBuffer buffer;
            try (MemorySampler sampler = MemorySampler.create(InstantSource.system(), monitor)) {
                buffer = sampler.newBuffer();
                sampler.sample(buffer);
                allocateGarbage(256);
                sampler.sample(buffer);
            }
            assertThat(buffer.get(Metric.ALLOCATION_RATE)).isPositive();
            assertThat(buffer.get(Metric.GC_OVERHEAD)).isBetween(0.0, 1.0);
        }
    }
}
