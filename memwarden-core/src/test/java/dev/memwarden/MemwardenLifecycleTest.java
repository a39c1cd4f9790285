package dev.memwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.memwarden.alert.Alert;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.internal.leak.LeakDetector;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import dev.memwarden.testing.HeapUse;
import dev.memwarden.testing.ManualClock;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MemwardenLifecycleTest {
    private static List<Thread> memwardenThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("memwarden"))
                .toList();
    }

    @Test
    void startsOneSamplerThreadAndSamples() {
        try (Memwarden memwarden = Memwarden.builder()
                .config(MemwardenConfig.builder()
                        .sampleInterval(Duration.ofMillis(100))
                        .build())
                .start()) {
            assertThat(memwardenThreads()).extracting(Thread::getName).containsExactly("memwarden-sampler");
            assertThat(memwardenThreads()).allMatch(Thread::isDaemon);

            MemorySnapshot first = memwarden.snapshot();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> memwarden.snapshot().takenAt().isAfter(first.takenAt()));

            MemorySnapshot snapshot = memwarden.snapshot();
            assertThat(snapshot.heap().used()).isPositive();
            assertThat(snapshot.threads().live()).isPositive();
            assertThat(memwarden.health().rules()).isNotEmpty();
            assertThat(memwarden
                            .timeline()
                            .latest(Metric.HEAP_USED, Duration.ofMinutes(1))
                            .points())
                    .isNotEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> memwardenThreads().isEmpty());
    }

    @Test
    void registeredStructuresAreSampledWithEverySample() {
        ManualClock clock = ManualClock.at2026();
        List<String> deadLetters = new ArrayList<>();
        try (Memwarden memwarden = Memwarden.builder().clock(clock).startManual()) {
            memwarden.resources().watch("dead-letters", deadLetters);
            for (int i = 0; i < 60; i++) {
                deadLetters.add("letter-" + i);
                clock.advance(Duration.ofSeconds(10));
                memwarden.sampleNow();
            }

            List<Timeline.Series.Point> history = memwarden
                    .resources()
                    .history("dead-letters", clock.instant().minus(Duration.ofMinutes(10)), clock.instant())
                    .orElseThrow();
            assertThat(history).hasSize(60);
            assertThat(history.get(59).max()).isEqualTo(60);
        }
    }

    @Test
    void aGrowingStructureEndsInALeakReportAndAnAlert() {
        ManualClock clock = ManualClock.at2026();
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        List<String> sessions = new ArrayList<>();
        try (Memwarden memwarden =
                Memwarden.builder().clock(clock).alertSink(alerts::add).startManual()) {
            memwarden.resources().watch("sessions", sessions);
            for (int i = 0; i < 200; i++) {
                sessions.add("session-" + i);
                clock.advance(Duration.ofSeconds(10));
                memwarden.sampleNow();
            }

            LeakReport report = memwarden.leakReport();
            assertThat(report.verdict()).isNotEqualTo(LeakReport.Verdict.NONE);
            assertThat(report.suspects()).extracting(LeakReport.Suspect::name).contains("sessions");
            assertThat(memwarden.checkLeaks().suspects())
                    .extracting(LeakReport.Suspect::name)
                    .contains("sessions");
            assertThat(memwarden.leakHistory()).hasSizeGreaterThan(20);
            assertThat(alerts).filteredOn(a -> a instanceof Alert.Leak).isNotEmpty();
            assertThat(alerts).filteredOn(a -> a instanceof Alert.Leak).first().satisfies(a -> assertThat(a.text())
                    .contains("leak verdict NONE -> "));
        }
    }

    @Test
    void aThousandStartsAndClosesLeaveNoThreadListenerOrMemoryBehind() {
        List<WeakReference<Memwarden>> closed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Memwarden memwarden = Memwarden.builder().start();
            memwarden.close();
            closed.add(new WeakReference<>(memwarden));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> memwardenThreads().isEmpty());
        // Each instance holds a 1.3 MB timeline: had a GC listener kept any of them, they could not be collected.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return closed.stream().allMatch(ref -> ref.get() == null);
        });
    }

    @Test
    void twoHundredThousandSamplesStayWithinTheComputedBound() {
        ManualClock clock = ManualClock.at2026();
        // Class histograms (layer 4) are off: they are real ones of this JVM, and ClassHistogramTest bounds them.
        MemwardenConfig config = MemwardenConfig.builder()
                .set("memwarden.leak.histogram.interval", "off")
                .build();
        // Pay the one-time costs (classes, lambda forms) of sampling and checking before the baseline.
        try (Memwarden warmUp = Memwarden.builder().config(config).clock(clock).startManual()) {
            for (int i = 0; i < 200; i++) {
                clock.advance(Duration.ofSeconds(1));
                warmUp.sampleNow();
            }
        }
        long baseline = HeapUse.afterFullGc();

        try (Memwarden memwarden =
                Memwarden.builder().config(config).clock(clock).startManual()) {
            long bound = memwarden.timeline().footprintBytes()
                    + ResourceRegistry.footprintBytes(
                            memwarden.config().resourceTiers(),
                            memwarden.config().resourcesMax())
                    + LeakDetector.reportsFootprintBytes()
                    + ownOverheadBound();
            long afterHalf = 0;
            for (int i = 1; i <= 200_000; i++) {
                clock.advance(Duration.ofSeconds(1));
                memwarden.sampleNow();
                if (i == 100_000) {
                    afterHalf = HeapUse.afterFullGc();
                }
            }
            long end = HeapUse.afterFullGc();

            assertThat(end - baseline).as("retained bytes vs bound %d", bound).isLessThanOrEqualTo(bound);
            // The timeline is full and fixed in size by then: the second 100 000 samples add nothing but the leak
            // reports, whose suspects come and go with this JVM's own figures, within their bound.
            assertThat(end - afterHalf).isLessThan(256 * 1024 + LeakDetector.reportsFootprintBytes());
            // 200 000 s is 2.3 days: the 7-day tier still has all of it, at 5-minute resolution.
            Timeline.Series all = memwarden.timeline().latest(Metric.HEAP_USED, Duration.ofDays(3));
            assertThat(all.resolution()).isEqualTo(Duration.ofMinutes(5));
            assertThat(all.points()).hasSizeBetween(660, 670);
        }
    }

    /**
     * What memwarden holds besides the timeline: 256 GC events, buffers, rules, the sampler's file buffers, the
     * JDK's temporary direct buffer cache and class data; generous, since the point is that it does not grow.
     */
    private static long ownOverheadBound() {
        return 1024 * 1024;
    }
}
