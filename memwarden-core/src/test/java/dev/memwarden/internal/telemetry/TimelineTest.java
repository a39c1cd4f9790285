package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final long T0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();

    private static SampleBuffer sample(long millis, double heapUsed) {
        SampleBuffer buffer = Samples.at(millis);
        buffer.set(Metric.HEAP_USED, heapUsed);
        return buffer;
    }

    @Test
    void defaultTiersForAllMetricsFitInTwoMegabytes() {
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        assertThat(timeline.footprintBytes()).isLessThanOrEqualTo(2L * 1024 * 1024);
        assertThat(Timeline.metrics()).hasSizeGreaterThan(25);
    }

    @Test
    void footprintGrowsWithSettingsAndIsKnownUpFront() {
        long small =
                Timeline.footprintBytes(List.of(new Timeline.Tier(Duration.ofSeconds(1), Duration.ofMinutes(1))), 10);
        long large =
                Timeline.footprintBytes(List.of(new Timeline.Tier(Duration.ofSeconds(1), Duration.ofMinutes(2))), 10);
        // 60 more buckets: an 8-byte start and three 4-byte floats for each of 10 series.
        assertThat(large - small).isEqualTo(60 * 8 + 3 * 60 * 10 * 4);
    }

    @Test
    void finestTierAnswersRecentRangesWithEverySample() {
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        for (int s = 0; s < 120; s++) {
            timeline.record(sample(T0 + s * 1000L, 1000 + s));
        }

        Timeline.Series series =
                timeline.range(Metric.HEAP_USED, Instant.ofEpochMilli(T0 + 60_000), Instant.ofEpochMilli(T0 + 119_000));

        assertThat(series.resolution()).isEqualTo(Duration.ofSeconds(1));
        assertThat(series.points()).hasSize(60);
        assertThat(series.points().get(0).mean()).isEqualTo(1060);
        assertThat(series.points().get(59).max()).isEqualTo(1119);
    }

    @Test
    void olderRangesComeFromCoarserTiersWithMinMeanMax() {
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        // 20 minutes of samples: the 1 s tier keeps only the last 10.
        for (int s = 0; s < 1200; s++) {
            timeline.record(sample(T0 + s * 1000L, s % 15));
        }

        Timeline.Series series =
                timeline.range(Metric.HEAP_USED, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 1_199_000));

        assertThat(series.resolution()).isEqualTo(Duration.ofSeconds(15));
        assertThat(series.points()).hasSize(80);
        Timeline.Series.Point first = series.points().get(0);
        assertThat(first.start()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(first.min()).isEqualTo(0);
        assertThat(first.max()).isEqualTo(14);
        assertThat(first.mean()).isEqualTo(7);
    }

    @Test
    void theRingForgetsWhatIsOlderThanTheSpanAndSkipsGaps() {
        List<Timeline.Tier> tiers = List.of(new Timeline.Tier(Duration.ofSeconds(1), Duration.ofSeconds(10)));
        TimelineStore timeline = TimelineStore.create(tiers);
        for (int s = 0; s < 25; s++) {
            timeline.record(sample(T0 + s * 1000L, s));
        }
        // A 5 s gap, then one sample.
        timeline.record(sample(T0 + 30_000, 30));

        Timeline.Series series =
                timeline.range(Metric.HEAP_USED, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 30_000));

        assertThat(series.points())
                .extracting(Timeline.Series.Point::mean)
                .containsExactly(21.0, 22.0, 23.0, 24.0, 30.0);
    }

    @Test
    void absentValuesLeaveNoPointAndLatestEndsAtTheNewestSample() {
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        timeline.record(Samples.at(T0));
        timeline.record(sample(T0 + 1000, 5));

        Timeline.Series series = timeline.latest(Metric.HEAP_USED, Duration.ofMinutes(1));

        assertThat(series.points()).singleElement().satisfies(p -> assertThat(p.mean())
                .isEqualTo(5));
        assertThat(timeline.latest(Metric.RSS, Duration.ofMinutes(1)).points()).isEmpty();
    }

    @Test
    void samplesFromThePastAreIgnored() {
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        timeline.record(sample(T0 + 10_000, 10));
        timeline.record(sample(T0 + 5_000, 99));

        assertThat(timeline.latest(Metric.HEAP_USED, Duration.ofMinutes(1)).points())
                .extracting(Timeline.Series.Point::max)
                .containsExactly(10.0);
    }

    @Test
    void nonHistoricalMetricsAreRefusedWithAReason() {
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        assertThatThrownBy(() -> timeline.range(Metric.HEAP_MAX, Instant.EPOCH, Instant.EPOCH))
                .hasMessageContaining("HEAP_MAX is not kept in the timeline");
    }

    @Test
    void tiersAreValidated() {
        assertThatThrownBy(() -> new Timeline.Tier(Duration.ofSeconds(7), Duration.ofMinutes(1)))
                .hasMessageContaining("whole number of buckets");
        assertThatThrownBy(() -> TimelineStore.create(List.of(
                        new Timeline.Tier(Duration.ofSeconds(15), Duration.ofHours(1)),
                        new Timeline.Tier(Duration.ofSeconds(1), Duration.ofMinutes(10)))))
                .hasMessageContaining("fine to coarse");
        assertThatThrownBy(() -> new Timeline.Tier(Duration.ofMillis(1), Duration.ofDays(30)))
                .hasMessageContaining("at most 1000000 buckets");
    }
}
