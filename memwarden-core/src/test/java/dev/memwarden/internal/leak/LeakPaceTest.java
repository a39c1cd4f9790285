package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import dev.memwarden.bounded.Caches;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.RingBuffer;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.Samples;
import dev.memwarden.internal.telemetry.TimelineStore;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** How soon a leak is reported: bounded structures that explain a rise or do not, fast and imminent leaks, start-up. */
class LeakPaceTest extends LeakDetectorFixture {

    @Test
    void aSmallRingBufferThatFilledAtTheStartOfTheWindowDoesNotExplainALeakThatGoesOnRising() {
        // As in the demo: its 100 recent transcripts filled in the first seconds, and while the window still reached
        // back to them, they were taken for a cache warming up that explained the sessions leak's 40 MiB.
        RingBuffer<String> recent = RingBuffer.builder()
                .name("recent-transcripts")
                .capacity(100)
                .registry(registry)
                .build();
        LeakReport report = run(i -> {
            for (int k = 0; i < 10 && k < 10; k++) {
                recent.add("transcript " + i + "." + k);
            }
            return Samples.with(base(i), Metric.LIVE_SET, 200 * MB + i * (2 * MB / 6));
        });

        assertThat(recent.size()).isEqualTo(100);
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.CONFIRMED);
    }

    @Test
    void aBoundedCacheFillingUpForTheFirstTimeExplainsTheRiseAndAWatchedMapDoesNot() {
        // Both hold 2 MiB more each second for two minutes, which the histograms see too: 1 KiB values.
        Cache<Integer, byte[]> cache = Caches.<Integer, byte[]>builder("hot-products")
                .maximumBytes(1 << 30, (key, value) -> value.length)
                .registry(registry)
                .build();
        List<LeakReport> warming = climbAfterHalfAnHour(
                2, 120, second -> 1000L + Math.max(0, second) * 2000L, new ArrayList<>(), registry, second -> {
                    for (int k = 0; second >= 0 && k < 2048; k++) {
                        cache.put(second * 2048 + k, new byte[1024]);
                    }
                });
        assertThat(warming).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(LeakReport.Verdict.NONE));

        ResourceRegistry other = ResourceRegistry.create(Timeline.Tier.DEFAULTS, 8);
        Map<Integer, byte[]> map = new HashMap<>();
        other.watch("products-by-id", map);
        List<LeakReport> leaking = climbAfterHalfAnHour(
                2, 120, second -> 1000L + Math.max(0, second) * 2000L, new ArrayList<>(), other, second -> {
                    for (int k = 0; second >= 0 && k < 2048; k++) {
                        map.put(second * 2048 + k, new byte[1024]);
                    }
                });
        assertThat(leaking.get(leaking.size() - 1).verdict()).isNotEqualTo(LeakReport.Verdict.NONE);
    }

    @Test
    void theClassesAGrowingStructureHoldsAreNamedWithinSecondsOfItsReportNotTwoHistogramIntervals() {
        // Calls subscribe a listener each and never remove it: 10 a second, each holding a call's 2 KB of context.
        List<Integer> listeners = new ArrayList<>();
        registry.watch("call-listeners", listeners);
        List<Instant> taken = new ArrayList<>();
        List<LeakReport> reports = structureGrowingAfterHalfAnHour(listeners, 10, 2, taken);

        int structureReported =
                firstSecond(reports, r -> r.suspects().stream().anyMatch(s -> s.kind() == LeakReport.Kind.RESOURCE));
        int classNamed = firstSecond(reports, r -> r.suspects().stream()
                .anyMatch(s -> s.kind() == LeakReport.Kind.CLASS && s.name().equals("byte[]")));
        assertThat(structureReported).as("second of the structure's report").isBetween(0, 10 * 60);
        // Three histograms 5 s apart, where the set interval would have spaced them 5 minutes: layer 5 joins its
        // allocation samples with the classes they name, so until then it cannot say where the entries come from.
        assertThat(classNamed - structureReported)
                .as("seconds from the report to the class")
                .isEqualTo(10);
        // Once named, histograms are back at the set interval: each is a full GC.
        List<Long> afterNamed = taken.stream()
                .map(t -> (t.toEpochMilli() - T0) / 1000 - 1800)
                .filter(second -> second > classNamed)
                .toList();
        assertThat(afterNamed).isNotEmpty();
        assertThat(afterNamed.get(0) - classNamed).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aGrowingStructureWhoseClassesNoHistogramShowsGetsHistogramsEverFurtherApart() {
        // A map that grows a few entries a minute: over seconds, no class grows by the 64 KB that names it.
        List<Integer> entries = new ArrayList<>();
        registry.watch("tenants", entries);
        List<Instant> taken = new ArrayList<>();
        List<LeakReport> reports = structureGrowingAfterHalfAnHour(entries, 0.1, 0, taken);

        assertThat(reports.get(reports.size() - 1).suspects())
                .extracting(LeakReport.Suspect::kind)
                .containsExactly(LeakReport.Kind.RESOURCE);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < taken.size(); i++) {
            gaps.add((taken.get(i).toEpochMilli() - taken.get(i - 1).toEpochMilli()) / 1000);
        }
        // 5, 5, then doubling to the set interval: a dozen full GCs in 30 minutes, not one every 5 s.
        assertThat(gaps).startsWith(5L, 5L, 10L, 20L, 40L).isSorted();
        assertThat(gaps.get(gaps.size() - 1)).isEqualTo(300);
        assertThat(taken).hasSizeLessThan(15);
    }

    @Test
    void aLeakThatWouldExhaustTheHeapWithinMinutesIsReportedWhileTheServiceStillStarts() {
        // 2 MiB/s of byte[] in 256 MiB: out of heap in under two minutes, while classes still load by 40 a second.
        // The rise shows at about 20 s (eight slices of the 28 s span); histograms 4 s apart confirm it.
        int second = firstReportFromStart(2, s -> 1000L + s * 2000L);
        assertThat(second).as("seconds to the first report").isBetween(15, 35);
    }

    @Test
    void aLeakThatWouldExhaustTheHeapWithinSecondsIsReportedWithTimeToSpare() {
        // 10 MiB/s in 256 MiB, from the JVM's start: out of heap at about 24 s. At the shortest scale the rise shows at
        // about 20 s; over the imminent span of 12 s, at about 8 s, and three histograms 1 s apart confirm it.
        int second = firstReportFromStart(10, s -> 1000L + s * 10_000L);
        assertThat(second).as("seconds to the first report").isBetween(5, 12);
    }

    @Test
    void anImminentRiseTheHistogramsDoNotConfirmIsNotReported() {
        assertThat(firstReportFromStart(10, s -> 1000L)).isEqualTo(-1);
    }

    @Test
    void theImminentSpanIsASecondASliceAndShorterThanTheShortestScale() {
        assertThat(LiveSetTrend.imminentScale(LiveSetTrend.scales(Duration.ofMinutes(30), 12), 12))
                .isEqualTo(12_000);
        assertThat(LiveSetTrend.imminentScale(LiveSetTrend.scales(Duration.ofMinutes(1), 60), 60))
                .isZero(); // a second a slice would span the whole window
    }

    @Test
    void whileTheServiceStartsARiseTheHistogramsDoNotConfirmIsNotReported() {
        // The same climb of the post-GC floor, but a full GC finds none of it: start-up garbage promoted.
        assertThat(firstReportFromStart(2, s -> 1000L)).isEqualTo(-1);
    }

    @Test
    void theClassesTheDetectorsOwnFirstHistogramLoadsDoNotProlongStartUp() throws Exception {
        // The demo's direct-buffer leak under Parallel: classes load in the first 10 s, then settle, but start-up is
        // judged over a minute. From 25 s on, promoted garbage makes the floor climb 1 MiB/s, an urgent rise that a
        // histogram is taken for while start-up is still being judged; the histograms find none of it. The first one
        // makes the JVM load classes (the JFR parser's, a few hundred), here 150 hidden ones. Direct buffers leak 0.3
        // MiB/s all along.
        byte[] probe;
        try (var in = LeakDetectorFixture.class.getResourceAsStream("LeakDetectorFixture$Probe.class")) {
            probe = Objects.requireNonNull(in).readAllBytes();
        }
        long[] ownLoadedAt = {-1};
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = withTheDemosSettings(fine, at -> {
            if (ownLoadedAt[0] < 0) {
                ownLoadedAt[0] = (at.toEpochMilli() - T0) / 1000;
                for (int i = 0; i < 150; i++) {
                    defineHidden(probe);
                }
            }
            return histogram(at.toEpochMilli(), 1000, 1000);
        });
        int reportedAt = firstReport(
                d, fine, 120, r -> r.suspects().stream().anyMatch(s -> s.name().equals("direct buffers")), second -> {
                    SampleBuffer b = baseAt(T0 + second * 1000L);
                    Samples.with(b, Metric.HEAP_MAX, 128 * MB);
                    Samples.with(b, Metric.LIVE_SET, 10 * MB + Math.max(0, second - 25) * MB);
                    boolean ownLoaded = ownLoadedAt[0] >= 0 && second > ownLoadedAt[0];
                    Samples.with(b, Metric.CLASSES_LOADED, 2000 + Math.min(second, 10) * 170 + (ownLoaded ? 150 : 0));
                    return Samples.with(b, Metric.DIRECT_USED, 3 * MB + second * 0.3 * MB);
                });
        assertThat(ownLoadedAt[0])
                .as("a histogram was taken while start-up was judged")
                .isBetween(25L, 55L);
        // Start-up ended at 10 s: eight 10 s slices of the demo's window after it show the leak without a plateau.
        // Were the histogram's classes the service's, start-up would end after it, and the report would come too
        // late for the run.
        assertThat(reportedAt).as("seconds to the direct buffers' report").isBetween(80, 100);
    }

    @Test
    void classesMemwardenLoadsOutsideTheDetectorAreNotTheServices() {
        // Start-up settles at 2000 classes; from 70 s on, 5 more load each second. The service's: a class-loading
        // leak. Memwarden's own, such as its alert sinks' logging and HTTP client: nothing to report.
        Predicate<LeakReport> classesBlamed =
                r -> r.suspects().stream().anyMatch(s -> s.name().equals("loaded classes"));
        assertThat(firstReportOfAClassRamp(false, classesBlamed))
                .as("loaded by the service")
                .isPositive();
        assertThat(firstReportOfAClassRamp(true, classesBlamed))
                .as("loaded by memwarden")
                .isEqualTo(-1);
    }

    @Test
    void classesMemwardenLoadsInOneGoAreNotATrendOfTheServicesClassesOrMetaspace() {
        // The demo's cache warming up under generational ZGC on JDK 25: start-up settles at 2220 classes and 14 MiB
        // of metaspace by 10 s. A first histogram at 33 s loads 348 classes (the JMX server's, 1.8 MiB), a first
        // recording parsed at 81 s 198 more (the JFR parser's, 1 MiB), as measured on JDK 25. The service loads 1.5
        // a second of 5 KiB each: 180 classes and 0.9 MiB over the 2-minute window, under a tenth of 2220 and the
        // 4 MiB that count as growth. Excused only as a sum, memwarden's classes were a step that the trend's slope
        // stretched over the whole window (in the demo's run, 646 classes in 2 minutes, where about 50 were the
        // service's), and their metaspace was not excused at all: the run reported loaded classes at 78 s and
        // metaspace at 91 s.
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = new LeakDetector(fine, null, Duration.ofMinutes(2), 12, null, Duration.ZERO, null);
        Predicate<LeakReport> classesBlamed = r -> r.suspects().stream()
                .anyMatch(s -> s.name().equals("loaded classes") || s.name().equals("metaspace"));
        int reportedAt = firstReport(d, fine, 200, classesBlamed, second -> {
            long services = Math.max(0, second - 35) * 3L / 2;
            long classes = 2000 + Math.min(second, 10) * 22L + services;
            double metaspace = 4 * MB + Math.min(second, 10) * MB + services * 5 * 1024.0;
            return withMemwardensOwnLoads(d, second, classes, metaspace);
        });
        assertThat(reportedAt)
                .as("seconds to a report of loaded classes or metaspace")
                .isEqualTo(-1);
    }

    @Test
    void aMetaspaceLeakIsReportedThoughMemwardenLoadedClassesOfItsOwn() {
        // From 72 s, once start-up is over, classes defined and kept at 100 KiB of metaspace a second (a class loader
        // per request, say): 12 MiB over the window, with memwarden's own two loads, the second within the leak. Taking
        // those out must not hide it: reported at 130 s, where memwarden's metaspace taken at
        // three times the average would delay it to 150 s.
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = new LeakDetector(fine, null, Duration.ofMinutes(2), 12, null, Duration.ZERO, null);
        int reportedAt = firstReport(
                d, fine, 260, r -> r.suspects().stream().anyMatch(s -> s.name().equals("metaspace")), second -> {
                    long leaked = Math.max(0, second - 72);
                    return withMemwardensOwnLoads(d, second, 2220 + leaked * 20, 14 * MB + leaked * 100 * 1024.0);
                });
        assertThat(reportedAt).as("seconds to the metaspace report").isBetween(72, 140);
    }

    @Test
    void classesMemwardenLoadedBeforeTheWindowExcuseNoneLoadedWithinIt() {
        // 1000 of memwarden's own at 10 s (a first histogram's JFR parser, say), then from 200 s on the service's
        // 5 a second: 600 more over the 2-minute window, where 10 % of 3000 would be growth enough.
        Predicate<LeakReport> classesBlamed =
                r -> r.suspects().stream().anyMatch(s -> s.name().equals("loaded classes"));
        TimelineStore fine = TimelineStore.create(Timeline.Tier.DEFAULTS);
        LeakDetector d = new LeakDetector(fine, null, Duration.ofMinutes(2), 12, null, Duration.ZERO, null);
        int reportedAt = firstReport(d, fine, 330, classesBlamed, second -> {
            if (second == 10) {
                d.countOwnClassLoads(Instant.ofEpochMilli(T0 + second * 1000L), 1000);
            }
            long classes = 2000 + (second >= 10 ? 1000 : 0) + Math.max(0, second - 200) * 5L;
            return Samples.with(baseAt(T0 + second * 1000L), Metric.CLASSES_LOADED, classes);
        });
        assertThat(reportedAt)
                .as("seconds to the report of the service's classes")
                .isBetween(200, 330);
    }

    @Test
    void aSlowRiseWhileTheServiceStartsIsStartUp() {
        // 100 KiB/s, confirmed by the histograms, but the heap would last for 40 minutes: no reason to hurry.
        assertThat(firstReportFromStart(0.1, s -> 1000L + s * 100L)).isEqualTo(-1);
    }

    @Test
    void aCheckIsDueEarlyWhenTheLiveSetRoseByATwentiethOfTheHeap() {
        SampleBuffer first = base(0);
        timeline.record(first);
        assertThat(detector.dueEarly(first)).as("before the first check").isTrue();
        detector.check(first);

        SampleBuffer littleMore = Samples.with(base(1), Metric.LIVE_SET, 240 * MB);
        assertThat(detector.dueEarly(littleMore)).isFalse();
        SampleBuffer muchMore = Samples.with(base(2), Metric.LIVE_SET, 252 * MB); // 1 GiB heap: 51.2 MiB is a twentieth
        assertThat(detector.dueEarly(muchMore)).isTrue();
    }

    @Test
    void aCheckIsDueEarlyOnceTheFirstLiveSetIsKnown() {
        SampleBuffer beforeAnyGc = Samples.with(base(0), Metric.LIVE_SET, Double.NaN);
        timeline.record(beforeAnyGc);
        detector.check(beforeAnyGc);
        assertThat(detector.dueEarly(Samples.at(T0 + 1000)))
                .as("still no live set")
                .isFalse();

        SampleBuffer firstGc = base(1);
        assertThat(detector.dueEarly(firstGc)).as("the first live set").isTrue();
        timeline.record(firstGc);
        detector.check(firstGc);
        SampleBuffer littleMore = Samples.with(base(2), Metric.LIVE_SET, 240 * MB);
        assertThat(detector.dueEarly(littleMore)).isFalse();
        SampleBuffer muchMore = Samples.with(base(3), Metric.LIVE_SET, 252 * MB);
        assertThat(detector.dueEarly(muchMore)).isTrue();
    }
}
