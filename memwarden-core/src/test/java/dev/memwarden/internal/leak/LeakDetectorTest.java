package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.memwarden.bounded.ListenerRegistry;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.Samples;
import dev.memwarden.internal.telemetry.TimelineStore;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The live-set trend, start-up, registered structures, off-heap growth and the report, on synthetic timelines. */
class LeakDetectorTest extends LeakDetectorFixture {

    @Test
    void aSteadyLeakUnderPromotionNoiseIsConfirmedWithItsRateAndTimeLeft() {
        Random random = new Random(1);
        LeakReport report = run(i -> {
            SampleBuffer b = base(i);
            // 2 MiB a minute, plus garbage promoted and not yet collected on top of the floor.
            double floor = 200 * MB + i * (2 * MB / 6);
            return Samples.with(b, Metric.LIVE_SET, floor + random.nextDouble() * 80 * MB);
        });

        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.CONFIRMED);
        assertThat(report.confidence()).isGreaterThan(0.999);
        assertThat(report.liveSet().growthBytesPerHour()).isCloseTo(120 * MB, within(25 * MB));
        assertThat(report.timeToExhaustion()).isPresent();
        assertThat(report.liveSet().timeToExhaustionSeconds()).isBetween(5L * 3600, 9L * 3600);
        assertThat(report.describe()).contains("CONFIRMED").contains("heap exhausted in");
    }

    @Test
    void classesLoadedAfterStartUpSettledDoNotSilenceTheDetector() {
        List<Integer> sessions = new ArrayList<>();
        registry.watch("sessions", sessions);
        assertThat(run(LeakDetectorTest::base).verdict())
                .isEqualTo(LeakReport.Verdict.NONE); // start-up over: classes flat

        // Later, 400 classes at once (a feature first used, or the detector's own class histogram) while a map grows.
        SampleBuffer last = null;
        for (int i = SAMPLES; i < 2 * SAMPLES; i++) {
            sessions.add(i);
            last = Samples.with(base(i), Metric.CLASSES_LOADED, i < SAMPLES + SAMPLES / 2 ? 9000 : 9400);
            timeline.record(last);
            registry.sample(last.takenAtMillis());
        }
        LeakReport report = detector.check(last);

        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.SUSPECTED);
        assertThat(report.suspects()).extracting(LeakReport.Suspect::name).contains("sessions");
    }

    @Test
    void theStartUpRampIsNotGrowthOnceStartUpIsOver() {
        // Classes climb from 2000 to 9000 in the first 3 minutes, as at start, then by one a sample: a trickle the
        // detector must judge against 9000, not against the 2000 of the JVM's first seconds.
        LeakReport report = run(
                i -> Samples.with(base(i), Metric.CLASSES_LOADED, i < 18 ? 2000 + i * 7000 / 18.0 : 9000 + (i - 18)));

        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
        assertThat(report.suspects()).isEmpty();
    }

    @Test
    void aCacheThatWarmsUpAndLevelsOffIsNotALeak() {
        LeakReport report = run(i -> Samples.with(base(i), Metric.LIVE_SET, 200 * MB + Math.min(i, 60) * 2 * MB));
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
    }

    @Test
    void aSawtoothOfLargeTemporaryAllocationsIsNotALeak() {
        LeakReport report = run(i -> Samples.with(base(i), Metric.LIVE_SET, 200 * MB + (i % 12) * 25 * MB));
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
    }

    @Test
    void growthThatIsReleasedAgainIsNotALeak() {
        LeakReport report = run(
                i -> Samples.with(base(i), Metric.LIVE_SET, 200 * MB + (i < 90 ? i : Math.max(0, 180 - 2 * i)) * MB));
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
    }

    @Test
    void startUpWhileClassesStillLoadIsNotALeak() {
        LeakReport report = run(i -> {
            SampleBuffer b = Samples.with(base(i), Metric.LIVE_SET, 50 * MB + i * MB);
            return Samples.with(b, Metric.CLASSES_LOADED, 2000 + i * 40);
        });
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
    }

    @Test
    void noiseAroundAFlatLiveSetRaisesNoAlarm() {
        int alarms = 0;
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            TimelineStore fresh = TimelineStore.create(Timeline.Tier.DEFAULTS);
            LeakDetector d =
                    new LeakDetector(fresh, null, Duration.ofMinutes(30), 12, null, LeakDetector.SiteRecording.OFF);
            SampleBuffer last = null;
            for (int i = 0; i < SAMPLES; i++) {
                last = Samples.with(base(i), Metric.LIVE_SET, 200 * MB + random.nextGaussian() * 10 * MB);
                fresh.record(last);
            }
            if (d.check(last).verdict() != LeakReport.Verdict.NONE) {
                alarms++;
            }
        }
        assertThat(alarms).isZero();
    }

    @Test
    void aGrowingRegisteredStructureIsNamed() {
        List<Integer> sessions = new ArrayList<>();
        registry.watch("sessions", sessions);
        LeakReport report = run(i -> {
            sessions.add(i);
            return base(i);
        });

        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.SUSPECTED);
        LeakReport.Suspect top = report.suspects().get(0);
        assertThat(top.kind()).isEqualTo(LeakReport.Kind.RESOURCE);
        assertThat(top.name()).isEqualTo("sessions");
        assertThat(top.growthCountPerHour()).isCloseTo(360.0, within(60.0));
        assertThat(top.nextStep()).contains("nothing bounds it");
    }

    @Test
    void aGrowingListenerRegistryIsReportedWithTheStackOfTheAddThatCrossedItsWarningLine() {
        ListenerRegistry<Runnable> listeners = ListenerRegistry.builder()
                .name("call-listeners")
                .maxListeners(50)
                .registry(registry)
                .build();
        LeakReport report = run(i -> {
            subscribeAndNeverRemove(listeners);
            return base(i);
        });

        LeakReport.Suspect top = report.suspects().get(0);
        assertThat(top.kind()).isEqualTo(LeakReport.Kind.RESOURCE);
        assertThat(top.name()).isEqualTo("call-listeners");
        // Where the JVM samples no old objects (generational ZGC), this is the one stack through the leaking code.
        assertThat(top.evidence()).endsWith("; it crossed its warning line in the call below");
        assertThat(top.allocationStack()).isNotNull();
        assertThat(top.allocationStack().get(0))
                .startsWith("dev.memwarden.internal.leak.LeakDetectorTest.subscribeAndNeverRemove:");
        assertThat(report.describe()).contains("LeakDetectorTest.subscribeAndNeverRemove:");
    }

    @Test
    void theDocumentedSampleIsWhatTheDetectorPrints() throws java.io.IOException {
        List<Integer> sessions = new ArrayList<>();
        registry.watch("sessions", sessions);
        LeakReport report = run(i -> {
            sessions.add(i);
            return base(i);
        });
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "leak-detection.md"));
        report.describe().lines().forEach(line -> assertThat(readme).contains(line));
        assertThat(report.describe()).contains("no confirmed rise").doesNotContain("B/h");
    }

    @Test
    void offHeapGrowthIsNamedPlainlyWithItsNextStep() {
        LeakReport report = run(i -> {
            SampleBuffer b = Samples.with(base(i), Metric.DIRECT_USED, 8 * MB + i * MB);
            return Samples.with(b, Metric.THREADS, 40 + i / 3);
        });

        assertThat(report.suspects()).extracting(LeakReport.Suspect::name).contains("direct buffers", "threads");
        LeakReport.Suspect direct = report.suspects().stream()
                .filter(s -> s.name().equals("direct buffers"))
                .findFirst()
                .orElseThrow();
        assertThat(direct.kind()).isEqualTo(LeakReport.Kind.OFF_HEAP);
        assertThat(direct.nextStep()).contains("MaxDirectMemorySize");
        // Bytes-growing suspects rank before count-only ones.
        assertThat(report.suspects().get(0).name()).isEqualTo("direct buffers");
    }

    @Test
    void rssClimbingToTheContainerLimitWithAFlatHeapIsReportedEarly() {
        LeakReport report = run(i -> {
            SampleBuffer b = Samples.with(base(i), Metric.CONTAINER_LIMIT, 2048 * MB);
            Samples.with(b, Metric.CODE_CACHE_USED, 40 * MB); // the JIT done with its work
            return Samples.with(b, Metric.RSS, 700 * MB + i * MB);
        });

        // A rise all through the window, as every off-heap rule's, persists.
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.CONFIRMED);
        // 1 MiB per 10 s is 360 MiB an hour; from 879 MiB to 2048 MiB that is 3.25 hours, 11,700 s.
        assertThat(report.liveSet().timeToContainerLimitSeconds()).isBetween(11_000L, 12_500L);
        assertThat(report.suspects()).extracting(LeakReport.Suspect::name).contains("native memory");
    }

    @Test
    void rssFollowingAHeapThatShrinksIsNotNativeGrowth() {
        // The collector shrinks the committed heap by 180 MiB over the window; RSS gives the pages back only later.
        LeakReport report = run(i -> {
            SampleBuffer b = Samples.with(base(i), Metric.HEAP_COMMITTED, 512 * MB - i * MB);
            return Samples.with(b, Metric.RSS, 700 * MB);
        });

        assertThat(report.suspects()).extracting(LeakReport.Suspect::name).doesNotContain("native memory");
    }

    @Test
    void rssRisingWhileTheJitStillFillsTheCodeCacheIsNotNativeGrowth() {
        // A service under load while C2 compiles its hot paths: the code cache grows from 12 to 30 MiB, and RSS
        // climbs with the compiler's arenas. The healthy demo was once reported as a native leak this way.
        LeakReport report = run(i -> {
            SampleBuffer b = Samples.with(base(i), Metric.CODE_CACHE_USED, 12 * MB + i * 100 * 1024L);
            return Samples.with(b, Metric.RSS, 700 * MB + i * MB / 4);
        });

        assertThat(report.suspects()).extracting(LeakReport.Suspect::name).doesNotContain("native memory");
    }

    @Test
    void rssRisingAsTheCommittedHeapIsFirstTouchedIsNotNativeGrowth() {
        // 512 MiB of heap committed but not yet resident: RSS climbs from 300 MiB as the service fills it.
        LeakReport report = run(i -> Samples.with(base(i), Metric.RSS, 300 * MB + i * 2 * MB));

        assertThat(report.suspects()).extracting(LeakReport.Suspect::name).doesNotContain("native memory");
    }

    @Test
    void tooLittleDataSaysNone() {
        SampleBuffer only = base(0);
        timeline.record(only);
        LeakReport report = detector.check(only);
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
        assertThat(report.confidence()).isZero();
    }

    @Test
    void theJsonHasTheDocumentedShape() {
        List<Integer> sessions = new ArrayList<>();
        registry.watch("sessions", sessions);
        LeakReport report = run(i -> {
            sessions.add(i);
            return Samples.with(base(i), Metric.LIVE_SET, 200 * MB + i * MB);
        });
        String json = report.toJson();

        assertThat(json).startsWith("{\"verdict\":\"CONFIRMED\",\"confidence\":");
        assertThat(json).contains("\"checkedAt\":\"2026-11-23T00:29:50Z\"");
        assertThat(json).contains("\"liveSet\":{\"bytes\":").contains("\"timeToContainerLimitSeconds\":null");
        assertThat(json).contains("{\"kind\":\"RESOURCE\",\"name\":\"sessions\",\"growthBytesPerHour\":null,");
        assertThat(json).contains("\"allocationStack\":null,\"gcRootPath\":null}");
        assertThat(detector.history()).hasSize(1);
    }

    private static void subscribeAndNeverRemove(ListenerRegistry<Runnable> listeners) {
        var unused = listeners.add("call-ended", () -> {});
    }
}
