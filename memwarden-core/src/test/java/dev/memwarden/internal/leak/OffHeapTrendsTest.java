package dev.memwarden.internal.leak;

import static dev.memwarden.internal.leak.TimelineScript.MB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Layer 2 alone: each rule of the table, and native memory, over a 10-minute window in 12 slices. */
class OffHeapTrendsTest {
    private static final int WINDOW_SECONDS = 600;

    private final TimelineScript script = new TimelineScript();

    private static OffHeapTrends trends(TimelineScript script) {
        return new OffHeapTrends(
                script.slicer(12), WINDOW_SECONDS * 1000L, LiveSetTrend.scales(Duration.ofSeconds(WINDOW_SECONDS), 12));
    }

    private List<LeakReport.Suspect> suspects() {
        return suspects(false);
    }

    private List<LeakReport.Suspect> suspects(boolean warmingUp) {
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        trends(script).suspects(script.last(), warmingUp, suspects);
        return suspects;
    }

    private static OffHeapTrends.Rule rule(Metric metric) {
        return OffHeapTrends.RULES.stream()
                .filter(r -> r.metric() == metric)
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(
            value = Metric.class,
            names = {"DIRECT_USED", "METASPACE_USED", "COMPRESSED_CLASS_USED", "CLASSES_LOADED", "THREADS", "FDS_OPEN"})
    void eachRuleNamesItsMetricWhenItRises(Metric metric) {
        OffHeapTrends.Rule rule = rule(metric);
        double start = script.run(1).last().get(metric);
        // Counts must grow by a tenth of where they start: 9000 classes by 900, 40 threads by 5.
        double perSecond = rule.unit() == OffHeapTrends.Unit.BYTES ? 64 * 1024 : Math.max(0.5, start / 400);
        script.with(metric, s -> start + s * perSecond).run(WINDOW_SECONDS);

        List<LeakReport.Suspect> suspects = suspects();
        assertThat(suspects).extracting(LeakReport.Suspect::name).containsExactly(rule.label());
        assertThat(suspects.get(0).kind()).isEqualTo(LeakReport.Kind.OFF_HEAP);
        assertThat(suspects.get(0).nextStep()).isEqualTo(rule.nextStep());
    }

    @Test
    void growthBelowARulesLeastIsNotASuspect() {
        // 40 to 43 threads: under the 5 a count must grow by.
        script.with(Metric.THREADS, s -> 40 + s / 200)
                .with(Metric.DIRECT_USED, s -> 8 * MB + s * 4096)
                .run(600);
        assertThat(suspects()).isEmpty();
    }

    @Test
    void aMetricThatRoseAndLevelledOffIsNotASuspect() {
        script.with(Metric.THREADS, s -> 40 + Math.min(s, 200) / 4).run(WINDOW_SECONDS);
        assertThat(suspects()).isEmpty();
    }

    @Test
    void rssRisingOverAStillHeapIsNativeMemory() {
        script.with(Metric.RSS, s -> 700 * MB + s * 64 * 1024).run(WINDOW_SECONDS);
        assertThat(suspects()).extracting(LeakReport.Suspect::name).containsExactly(OffHeapTrends.NATIVE);
    }

    @Test
    void nativeMemoryIsNotJudgedWhileDirectBuffersExplainItOrTheCodeCacheGrows() {
        script.with(Metric.RSS, s -> 700 * MB + s * 64 * 1024)
                .with(Metric.DIRECT_USED, s -> 8 * MB + s * 64 * 1024)
                .run(WINDOW_SECONDS);
        assertThat(suspects()).extracting(LeakReport.Suspect::name).containsExactly("direct buffers");

        TimelineScript compiling = new TimelineScript();
        compiling
                .with(Metric.RSS, s -> 700 * MB + s * 64 * 1024)
                .with(Metric.CODE_CACHE_USED, s -> 20 * MB + s * 32 * 1024)
                .run(WINDOW_SECONDS);
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        trends(compiling).suspects(compiling.last(), false, suspects);
        assertThat(suspects).isEmpty();
    }

    @Test
    void nativeMemoryIsNotJudgedWhileTheHeapIsFirstTouched() {
        // RSS below committed heap plus non-heap: the heap's own pages still become resident.
        script.with(Metric.RSS, s -> 300 * MB + s * 64 * 1024).run(WINDOW_SECONDS);
        assertThat(suspects()).isEmpty();
    }

    @Test
    void nativeMemoryThatReachesTheContainerLimitWithinMinutesIsReportedAtOnceEvenDuringStartUp() {
        // 2 MB/s of RSS over a still heap in a 1 GiB container: 90 s in, about two minutes are left.
        script.with(Metric.CONTAINER_LIMIT, s -> 1024 * MB)
                .with(Metric.RSS, s -> 700 * MB + s * 2 * MB)
                .run(90);

        List<LeakReport.Suspect> suspects = suspects(true);

        assertThat(suspects).extracting(LeakReport.Suspect::name).containsExactly(OffHeapTrends.NATIVE);
        LeakReport.OffHeap nativeMemory = (LeakReport.OffHeap) suspects.get(0);
        assertThat(nativeMemory.timeToLimitSeconds()).isBetween(60L, 120L);
        assertThat(nativeMemory.evidence()).contains("the container limit (1.0 GiB)");
    }

    @Test
    void nativeMemoryIsReportedWhileTheCollectorShrinksTheHeapByLessThanItGrows() {
        // A small heap that Parallel shrinks from 40 to 22 MiB, by half, while a native leak grows 2 MB/s: the heap
        // moves by 18 MiB, native memory by 180 MiB.
        script.with(Metric.CONTAINER_LIMIT, s -> 1024 * MB)
                .with(Metric.HEAP_COMMITTED, s -> 40 * MB - s * MB / 5)
                .with(Metric.RSS, s -> 700 * MB + s * 2 * MB)
                .run(90);

        assertThat(suspects(true)).extracting(LeakReport.Suspect::name).containsExactly(OffHeapTrends.NATIVE);
    }

    @Test
    void nativeMemoryWithTimeToSpareWaitsForTheWholeWindow() {
        // The same rise without a container limit, or far from it, is judged only over the window after start-up.
        script.with(Metric.RSS, s -> 700 * MB + s * 2 * MB).run(90);
        assertThat(suspects(true)).isEmpty();
        assertThat(suspects(false)).isEmpty();

        TimelineScript roomy = new TimelineScript();
        roomy.with(Metric.CONTAINER_LIMIT, s -> 64 * 1024 * MB)
                .with(Metric.RSS, s -> 700 * MB + s * 2 * MB)
                .run(90);
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        trends(roomy).suspects(roomy.last(), false, suspects);
        assertThat(suspects).isEmpty();
    }

    @Test
    void directBuffersThatRunOutWithinMinutesAreReportedAtOnceEvenDuringStartUp() {
        // 1.25 MB/s into 256 MB: a minute in, under three minutes are left.
        script.with(Metric.DIRECT_MAX, s -> 256 * MB)
                .with(Metric.DIRECT_USED, s -> 8 * MB + s * 1.25 * MB)
                .run(60);

        List<LeakReport.Suspect> suspects = suspects(true);

        assertThat(suspects).extracting(LeakReport.Suspect::name).containsExactly("direct buffers");
        LeakReport.OffHeap direct = (LeakReport.OffHeap) suspects.get(0);
        assertThat(direct.timeToLimitSeconds()).isBetween(120L, 180L);
        assertThat(direct.evidence()).contains("the maximum direct memory (256.0 MiB)");
    }

    @Test
    void aRiseWithTimeToSpareWaitsForStartUpAndASettledSpan() {
        // 2 threads a second toward a limit of 100,000: no hurry.
        script.with(Metric.THREADS_MAX, s -> 100_000).with(Metric.THREADS, s -> 40 + 2 * s);
        script.run(100);
        assertThat(suspects(true)).as("during start-up").isEmpty();
        assertThat(suspects(false)).as("over less than the settled span").isEmpty();

        script.run(200);
        List<LeakReport.Suspect> suspects = suspects(false);
        assertThat(suspects).extracting(LeakReport.Suspect::name).containsExactly("threads");
        assertThat(((LeakReport.OffHeap) suspects.get(0)).timeToLimitSeconds()).isGreaterThan(40_000L);
    }

    @Test
    void aRisePersistsOnlyOnceItShowsAllThroughTheSettledSpan() {
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        script.with(Metric.THREADS, s -> s < 480 ? 40 : 40 + (s - 480));
        script.run(WINDOW_SECONDS);
        assertThat(trends(script).suspects(script.last(), false, suspects))
                .as("flat for eight minutes, then rising for two")
                .isFalse();
        assertThat(suspects).extracting(LeakReport.Suspect::name).containsExactly("threads");

        TimelineScript longer = new TimelineScript();
        longer.with(Metric.THREADS, s -> s < 240 ? 40 : 40 + (s - 240)).run(WINDOW_SECONDS);
        assertThat(trends(longer).suspects(longer.last(), false, new ArrayList<>()))
                .as("rising for the last six minutes, all through the five-minute span")
                .isTrue();
    }
}
