package dev.memwarden.internal.leak;

import static dev.memwarden.internal.leak.TimelineScript.MB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Layer 2 alone: each rule of the table, and native memory, over a 10-minute window in 12 slices. */
class OffHeapTrendsTest {
    private static final int WINDOW_SECONDS = 600;

    private final TimelineScript script = new TimelineScript();

    private List<LeakReport.Suspect> suspects() {
        OffHeapTrends trends = new OffHeapTrends(script.slicer(12), WINDOW_SECONDS * 1000L);
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        trends.suspects(script.lastMillis() - WINDOW_SECONDS * 1000L, script.lastMillis(), suspects);
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
            names = {"DIRECT_USED", "METASPACE_USED", "CLASSES_LOADED", "THREADS", "FDS_OPEN"})
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
        OffHeapTrends trends = new OffHeapTrends(compiling.slicer(12), WINDOW_SECONDS * 1000L);
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        trends.suspects(compiling.lastMillis() - WINDOW_SECONDS * 1000L, compiling.lastMillis(), suspects);
        assertThat(suspects).isEmpty();
    }

    @Test
    void nativeMemoryIsNotJudgedWhileTheHeapIsFirstTouched() {
        // RSS below committed heap plus non-heap: the heap's own pages still become resident.
        script.with(Metric.RSS, s -> 300 * MB + s * 64 * 1024).run(WINDOW_SECONDS);
        assertThat(suspects()).isEmpty();
    }
}
