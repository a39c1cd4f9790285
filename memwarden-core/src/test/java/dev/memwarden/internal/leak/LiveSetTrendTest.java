package dev.memwarden.internal.leak;

import static dev.memwarden.internal.leak.TimelineScript.MB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Layer 1 alone: a 2-minute window in 12 slices over a sample a second. */
class LiveSetTrendTest {
    private final TimelineScript script = new TimelineScript();

    private LiveSetTrend trend() {
        return new LiveSetTrend(script.slicer(12), Duration.ofMinutes(2));
    }

    private Rise rise(boolean verifiable) {
        double liveNow = script.last().get(Metric.LIVE_SET);
        return trend().rise(script.lastMillis(), 1024 * MB, liveNow, verifiable);
    }

    @Test
    void aFlatLiveSetDoesNotRise() {
        script.run(120);
        assertThat(rise(true)).isNull();
    }

    @Test
    void aSteadyRiseShowsWithItsSlopeAndTimeLeft() {
        script.with(Metric.LIVE_SET, s -> 200 * MB + s * MB).run(120);
        Rise rise = rise(false);

        assertThat(rise).isNotNull();
        assertThat(rise.scaleMillis())
                .as("unverifiable: only the window speaks")
                .isEqualTo(120_000);
        assertThat(rise.trend().slope() * 1000).isCloseTo(MB, within(MB / 20));
        assertThat(Rise.secondsToExhaustion(1024 * MB, 319 * MB, rise.trend())).isBetween(690L, 720L);
    }

    @Test
    void aRiseThatLevelsOffIsAPlateau() {
        script.with(Metric.LIVE_SET, s -> 200 * MB + Math.min(s, 50) * MB).run(120);
        assertThat(rise(true)).isNull();
    }

    @Test
    void aRiseOfTheLastHalfMinuteShowsOnlyAtAShortScaleWhereHistogramsCanVerifyIt() {
        script.with(Metric.LIVE_SET, s -> 200 * MB + Math.max(0, s - 90) * MB).run(120);

        assertThat(rise(false)).as("the window: not yet a trend there").isNull();
        Rise rise = rise(true);
        assertThat(rise).isNotNull();
        assertThat(rise.scaleMillis()).isLessThan(120_000);
    }

    @Test
    void theImminentSpanCountsOnlyARiseThatExhaustsTheHeapWithinTheShortestScale() {
        // 12 s of data: the shortest scale (30 s of the 2-minute window) cannot show it yet.
        script.with(Metric.LIVE_SET, s -> 200 * MB + s * 60 * MB).run(13);
        assertThat(rise(true)).as("60 MiB/s: the heap is gone in 2 s more").isNotNull();
        assertThat(rise(true).scaleMillis()).isEqualTo(12_000);

        TimelineScript slow = new TimelineScript();
        slow.with(Metric.LIVE_SET, s -> 200 * MB + s * 5 * MB).run(13);
        LiveSetTrend trend = new LiveSetTrend(slow.slicer(12), Duration.ofMinutes(2));
        assertThat(trend.rise(slow.lastMillis(), 1024 * MB, 260 * MB, true))
                .as("5 MiB/s: 150 s left, longer than the shortest scale")
                .isNull();
    }

    @Test
    void rssRisingTowardTheContainerLimitGivesTheTimeLeft() {
        script.with(Metric.CONTAINER_LIMIT, s -> 1024 * MB)
                .with(Metric.RSS, s -> 700 * MB + s * MB)
                .run(120);
        Long seconds = trend().secondsToContainerLimit(script.last());
        assertThat(seconds).isNotNull().isBetween(190L, 220L);
    }

    @Test
    void withoutAContainerLimitThereIsNoTimeToIt() {
        script.with(Metric.RSS, s -> 700 * MB + s * MB).run(120);
        assertThat(trend().secondsToContainerLimit(script.last())).isNull();
    }

    @Test
    void scalesHalveTheWindowDownToTwentySeconds() {
        assertThat(LiveSetTrend.scales(Duration.ofMinutes(2), 12)).containsExactly(120_000, 60_000, 30_000);
        assertThat(LiveSetTrend.imminentScale(LiveSetTrend.scales(Duration.ofMinutes(2), 12), 12))
                .isEqualTo(12_000);
    }
}
