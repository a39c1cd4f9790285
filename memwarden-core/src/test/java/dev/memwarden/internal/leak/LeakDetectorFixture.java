package dev.memwarden.internal.leak;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.Samples;
import dev.memwarden.internal.telemetry.TimelineStore;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What the detector's tests share: a timeline and a registry, a healthy baseline sample of 1 GiB max heap and 200 MiB
 * live, scripted class histograms, and runs of 30 minutes of samples every 10 s with known shapes.
 */
abstract class LeakDetectorFixture {
    static final long T0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();

    static final double MB = 1 << 20;

    static final int SAMPLES = 180; // 30 minutes at 10 s

    final TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);

    final ResourceRegistry registry = ResourceRegistry.create(Timeline.Tier.DEFAULTS, 8);

    final LeakDetector detector =
            new LeakDetector(timeline, registry, Duration.ofMinutes(30), 12, null, LeakDetector.SiteRecording.OFF);

    /** A healthy baseline sample: 1 GiB max heap, 200 MiB live, flat everything. */
    static SampleBuffer base(int i) {
        return baseAt(T0 + i * 10_000L);
    }

    static SampleBuffer baseAt(long epochMillis) {
        return TimelineScript.baseline(epochMillis);
    }

    /** A detector over this test's timeline and registry, with scripted histograms every 5 minutes. */
    LeakDetector withHistograms(HistogramSource histograms) {
        return withHistograms(histograms, null);
    }

    LeakDetector withHistograms(HistogramSource histograms, @Nullable AllocationSource allocations) {
        return withHistogramsEveryFiveMinutes(timeline, registry, histograms, allocations);
    }

    /** A 30-minute window in 12 slices, with histograms from {@code histograms} at most every 5 minutes. */
    static LeakDetector withHistogramsEveryFiveMinutes(
            Timeline over,
            @Nullable ResourceRegistry structures,
            HistogramSource histograms,
            @Nullable AllocationSource allocations) {
        return new LeakDetector(
                over, structures, Duration.ofMinutes(30), 12, histograms, Duration.ofMinutes(5), allocations);
    }

    /** The demo's settings: a 2-minute window, histograms every 10 s. */
    static LeakDetector withTheDemosSettings(Timeline over, HistogramSource histograms) {
        return new LeakDetector(over, null, Duration.ofMinutes(2), 12, histograms, Duration.ofSeconds(10), null);
    }

    LeakReport run(IntFunction<SampleBuffer> sample) {
        SampleBuffer last = null;
        for (int i = 0; i < SAMPLES; i++) {
            last = sample.apply(i);
            timeline.record(last);
            registry.sample(last.takenAtMillis());
        }
        return detector.check(last);
    }

    static GcClassHistogram histogram(long at, long sessions, long arrays) {
        return new GcClassHistogram(
                Instant.ofEpochMilli(at),
                java.util.Map.of(
                        "com.acme.Session",
                        new GcClassHistogram.Entry("com.acme.Session", sessions, sessions * 48),
                        "[B (java.base@17.0.15)",
                        new GcClassHistogram.Entry("[B (java.base@17.0.15)", arrays, arrays * 1000),
                        "java.lang.String (java.base@17.0.15)",
                        new GcClassHistogram.Entry("java.lang.String (java.base@17.0.15)", 5000, 120_000)));
    }

    /** A 1 MiB-per-10-s leak for 50 minutes; the 21 reports of a check every minute from minute 30 on. */
    List<LeakReport> leakForFiftyMinutesCheckingEveryMinuteAfterThirty(LeakDetector detector) {
        List<LeakReport> reports = new ArrayList<>();
        for (int i = 0; i < SAMPLES + 120; i++) {
            SampleBuffer b = Samples.with(base(i), Metric.LIVE_SET, 200 * MB + i * MB);
            timeline.record(b);
            if (i >= SAMPLES - 1 && (i - SAMPLES + 1) % 6 == 0) {
                reports.add(detector.check(b));
            }
        }
        return reports;
    }

    /**
     * Samples every second for 30 minutes, flat, then the live set climbing {@code mbPerSecond} a second for {@code
     * seconds}, checked every 10 s with class histograms (every 5 minutes at most, and closer while a fast rise
     * waits) whose byte[] total follows {@code arrays}; the reports of the checks since the climb began.
     */
    List<LeakReport> climbAfterHalfAnHour(
            double mbPerSecond, int seconds, IntFunction<Long> arraysAtSecond, List<Instant> histogramsTaken) {
        return climbAfterHalfAnHour(mbPerSecond, seconds, arraysAtSecond, histogramsTaken, null, second -> {});
    }

    /** The same, with a registry sampled every second after {@code eachSecond} has changed its structures. */
    List<LeakReport> climbAfterHalfAnHour(
            double mbPerSecond,
            int seconds,
            IntFunction<Long> arraysAtSecond,
            List<Instant> histogramsTaken,
            @Nullable ResourceRegistry structures,
            IntConsumer eachSecond) {
        return riseAfterHalfAnHour(
                second -> second * mbPerSecond, seconds, arraysAtSecond, histogramsTaken, structures, eachSecond);
    }

    /**
     * Half an hour flat, then {@code seconds} in which the live set rises by {@code mbAtSecond} above 200 MiB, checked
     * every 10 s by a detector with histograms every five minutes; the reports from the rise's start on.
     */
    List<LeakReport> riseAfterHalfAnHour(
            IntToDoubleFunction mbAtSecond,
            int seconds,
            IntFunction<Long> arraysAtSecond,
            List<Instant> histogramsTaken,
            @Nullable ResourceRegistry structures,
            IntConsumer eachSecond) {
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = withHistogramsEveryFiveMinutes(
                fine,
                structures,
                at -> {
                    histogramsTaken.add(at);
                    int second = (int) ((at.toEpochMilli() - T0) / 1000) - 1800;
                    return histogram(at.toEpochMilli(), 1000, arraysAtSecond.apply(second));
                },
                null);
        List<LeakReport> reports = new ArrayList<>();
        for (int second = -1800; second < seconds; second++) {
            SampleBuffer b = Samples.with(
                    baseAt(T0 + (1800 + second) * 1000L),
                    Metric.LIVE_SET,
                    200 * MB + mbAtSecond.applyAsDouble(Math.max(0, second)) * MB + Math.floorMod(second, 3) * MB);
            fine.record(b);
            eachSecond.accept(second);
            if (structures != null) {
                structures.sample(b.takenAtMillis());
            }
            if (second % 10 == 0 && second >= -60) {
                LeakReport report = d.check(b);
                if (second >= 0) {
                    reports.add(report);
                }
            }
        }
        return reports;
    }

    /**
     * A 128 MiB heap (the demo's) sampled every second: 4 MiB held every 2.5 s, all released every 15 s, and {@code
     * leakMiBPerSecond} kept for good; whatever is held is promoted, so the floor after young collections climbs 1.6
     * MiB/s until a full collection (when the old generation is full, and at each histogram) clears the garbage. The
     * histograms see what is truly held. Checked as the facade does, every 10 s and when {@link
     * LeakDetector#dueEarly} says so. The second of the first report that is not NONE, or -1 if none came.
     */
    static int firstReportOfParallelSawtooth(int phase, double leakMiBPerSecond, int seconds) {
        return firstReportOfParallelSawtooth(
                phase,
                leakMiBPerSecond,
                seconds,
                (over, histograms) -> withHistogramsEveryFiveMinutes(over, null, histograms, null));
    }

    static int firstReportOfParallelSawtooth(
            int phase,
            double leakMiBPerSecond,
            int seconds,
            BiFunction<Timeline, HistogramSource, LeakDetector> detectorOver) {
        IntFunction<Double> heldMiB =
                second -> 4.0 * (Math.floorMod(second + phase, 15) * 2 / 5) + leakMiBPerSecond * second;
        long[] fullCollectionAt = {0};
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = detectorOver.apply(fine, at -> {
            int second = (int) ((at.toEpochMilli() - T0) / 1000);
            fullCollectionAt[0] = second;
            return histogram(at.toEpochMilli(), 1000, 1000L + (long) (heldMiB.apply(second) * 1048));
        });
        return firstReport(d, fine, seconds, r -> r.verdict() != LeakReport.Verdict.NONE, second -> {
            double promoted = 1.6 * (second - fullCollectionAt[0]);
            if (promoted > 60) {
                fullCollectionAt[0] = second; // the old generation is full: a full collection
                promoted = 0;
            }
            SampleBuffer b = Samples.with(
                    baseAt(T0 + second * 1000L),
                    Metric.LIVE_SET,
                    40 * MB + Math.max(heldMiB.apply(second), promoted + leakMiBPerSecond * second) * MB);
            Samples.with(b, Metric.HEAP_MAX, 128 * MB);
            return Samples.with(b, Metric.HEAP_COMMITTED, 128 * MB);
        });
    }

    /**
     * Records a sample a second into {@code fine} and checks as the facade does: every 10 s, and when {@link
     * LeakDetector#dueEarly} says so. The second of the first report that {@code counts}, or -1 if none came.
     */
    static int firstReport(
            LeakDetector d,
            TimelineStore fine,
            int seconds,
            Predicate<LeakReport> counts,
            IntFunction<SampleBuffer> sampleAtSecond) {
        long lastCheck = Long.MIN_VALUE;
        for (int second = 0; second < seconds; second++) {
            SampleBuffer b = sampleAtSecond.apply(second);
            fine.record(b);
            if (b.takenAtMillis() - lastCheck >= 10_000 || d.dueEarly(b)) {
                lastCheck = b.takenAtMillis();
                if (counts.test(d.check(b))) {
                    return second;
                }
            }
        }
        return -1;
    }

    /**
     * 30 minutes flat, then {@code structure} growing {@code perSecond} entries a second for 30 minutes while the live
     * set stays flat, in a service sampled every second and checked as the facade does: every minute, or when {@link
     * LeakDetector#dueEarly} says so. Histograms at most every 5 minutes, whose byte[] count grows by {@code
     * arraysPerEntry} arrays of 1000 B with each entry. The reports of the checks since the growth began.
     */
    List<LeakReport> structureGrowingAfterHalfAnHour(
            List<Integer> structure, double perSecond, int arraysPerEntry, List<Instant> histogramsTaken) {
        LeakDetector d = withHistograms(at -> {
            histogramsTaken.add(at);
            return histogram(at.toEpochMilli(), 1000, 1000L + (long) structure.size() * arraysPerEntry);
        });
        List<LeakReport> reports = new ArrayList<>();
        long lastCheck = Long.MIN_VALUE;
        for (int second = -1800; second < 1800; second++) {
            while (second >= 0 && structure.size() < (second + 1) * perSecond) {
                structure.add(second);
            }
            SampleBuffer b = baseAt(T0 + (1800 + second) * 1000L);
            timeline.record(b);
            registry.sample(b.takenAtMillis());
            if (b.takenAtMillis() - lastCheck >= 60_000 || d.dueEarly(b)) {
                lastCheck = b.takenAtMillis();
                LeakReport report = d.check(b);
                if (second >= 0) {
                    reports.add(report);
                }
            }
        }
        return reports;
    }

    /** The second, since the growth began, of the first of these reports that matches, or -1. */
    static int firstSecond(List<LeakReport> reports, Predicate<LeakReport> matches) {
        return reports.stream()
                .filter(matches)
                .map(r -> (int) ((r.checkedAt().toEpochMilli() - T0) / 1000) - 1800)
                .findFirst()
                .orElse(-1);
    }

    /**
     * A JVM sampled every second from its start, classes still loading all along, its live set climbing {@code
     * mbPerSecond} in a 256 MiB heap and the histograms' byte[] total following {@code arraysAtSecond}; checked as
     * the facade does, every 10 s or when {@link LeakDetector#dueEarly} says so. The second of the first report, or
     * -1 if none came.
     */
    static int firstReportFromStart(double mbPerSecond, IntFunction<Long> arraysAtSecond) {
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = new LeakDetector(
                fine,
                null,
                Duration.ofMinutes(30),
                12,
                at -> histogram(at.toEpochMilli(), 1000, arraysAtSecond.apply((int) ((at.toEpochMilli() - T0) / 1000))),
                Duration.ofSeconds(10),
                null);
        return firstReport(d, fine, 120, r -> r.verdict() != LeakReport.Verdict.NONE, second -> {
            SampleBuffer b = baseAt(T0 + second * 1000L);
            Samples.with(b, Metric.HEAP_MAX, 256 * MB);
            Samples.with(b, Metric.CLASSES_LOADED, 2000 + second * 40);
            return Samples.with(
                    b, Metric.LIVE_SET, 20 * MB + second * mbPerSecond * MB + Math.floorMod(second, 3) * MB);
        });
    }

    /**
     * The sample at {@code second} of a service with {@code classes} loaded and {@code metaspace} used of its own, plus
     * what memwarden loads itself, as measured on JDK 25: a first histogram at 33 s loads 348 classes (the JMX
     * server's, 1.8 MiB of metaspace), a first recording parsed at 81 s 198 more (the JFR parser's, 1 MiB). Each load
     * is noted with {@code d} at the second of the check that made it, and shows from the next sample on.
     */
    static SampleBuffer withMemwardensOwnLoads(LeakDetector d, int second, long classes, double metaspace) {
        Instant at = Instant.ofEpochMilli(T0 + second * 1000L);
        if (second == 33) {
            d.countOwnClassLoads(at, 348);
        } else if (second == 81) {
            d.countOwnClassLoads(at, 198);
        }
        long allClasses = classes + (second > 33 ? 348 : 0) + (second > 81 ? 198 : 0);
        double allMetaspace = metaspace + (second > 33 ? 1.8 * MB : 0) + (second > 81 ? MB : 0);
        SampleBuffer b = Samples.with(baseAt(at.toEpochMilli()), Metric.CLASSES_LOADED, allClasses);
        return Samples.with(b, Metric.METASPACE_USED, allMetaspace);
    }

    static int firstReportOfAClassRamp(boolean memwardensOwn, Predicate<LeakReport> counts) {
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = new LeakDetector(fine, null, Duration.ofMinutes(2), 12, null, Duration.ZERO, null);
        return firstReport(d, fine, 200, counts, second -> {
            int loading = second > 70 ? 5 : 0;
            if (memwardensOwn && loading > 0) {
                d.countOwnClassLoads(Instant.ofEpochMilli(T0 + second * 1000L), loading);
            }
            return Samples.with(
                    baseAt(T0 + second * 1000L), Metric.CLASSES_LOADED, 2000 + Math.max(0, second - 70) * 5);
        });
    }

    /** Loaded again and again as a hidden class, to make the JVM's count of loaded classes rise for real. */
    static final class Probe {}

    static void defineHidden(byte[] classBytes) {
        try {
            MethodHandles.lookup().defineHiddenClass(classBytes, false);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
