package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing of class histograms alone: one check a second, a histogram whenever one is due. */
class HistogramPacingTest {
    private static final long MB = 1 << 20;

    private HistogramPacing pacing = new HistogramPacing(Duration.ofMinutes(5));

    /** Gaps in seconds between the histograms of {@code seconds} checks, one a second, as the detector runs them. */
    private List<Long> gaps(int seconds, Rise rise, boolean urgent, long secondsLeft, boolean structureGrows) {
        List<Long> taken = new ArrayList<>();
        for (long s = 0; s < seconds; s++) {
            long to = s * 1000;
            pacing.paceFor(rise, urgent, secondsLeft, structureGrows);
            if (pacing.due(to)) {
                pacing.attempted(to);
                taken.add(s);
            }
            pacing.naming(structureGrows, to);
            pacing.settle(rise != null, false, to, taken.size());
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < taken.size(); i++) {
            gaps.add(taken.get(i) - taken.get(i - 1));
        }
        return gaps;
    }

    private static Rise rise(long scaleSeconds, double bytesPerSecond) {
        return new Rise(scaleSeconds * 1000, new Trend(bytesPerSecond / 1000, 0.9999, 12), 0);
    }

    @Test
    void aGrowingStructureWithNoClassNamedGetsThreeHistogramsFiveSecondsApartThenDoubling() {
        assertThat(gaps(400, null, false, Long.MAX_VALUE, true)).startsWith(5L, 5L, 10L, 20L, 40L, 80L, 160L);
    }

    @Test
    void theNamingPaceNeverExceedsTheInterval() {
        assertThat(gaps(1200, null, false, Long.MAX_VALUE, true)).last().isEqualTo(300L);
    }

    @Test
    void aRiseGetsHistogramsAQuarterOfItsSpanApartDoublingWithEachRefutation() {
        // 240 s span: 60 s apart; three histograms in the episode, then each refutes the rise once more.
        assertThat(gaps(1500, rise(240, 10 * MB), false, Long.MAX_VALUE, false)).startsWith(60L, 60L, 120L, 240L, 300L);
    }

    @Test
    void anUrgentRiseGetsHistogramsATwentyFourthOfTheTimeLeftApart() {
        // 48 s left: 2 s apart, against the 5 s a non-urgent rise gets at its shortest.
        assertThat(gaps(7, rise(20, 10 * MB), true, 48, false)).startsWith(2L, 2L);
        pacing = new HistogramPacing(Duration.ofMinutes(5));
        assertThat(gaps(30, rise(20, 10 * MB), true, 12, false)).first().isEqualTo(1L);
    }

    @Test
    void histogramsNeverComeTooCloseToShowAMebibyteOfASlowRise() {
        // 1 KiB a second over a 20-minute span: three histograms need 512 s to show 1 MiB, where a quarter is 300 s.
        HistogramPacing fresh = new HistogramPacing(Duration.ofMinutes(30));
        fresh.paceFor(rise(1200, 1024), false, Long.MAX_VALUE, false);
        assertThat(fresh.paceMillis()).isEqualTo(512_000);
    }

    @Test
    void aQuietIntervalEndsTheEpisodeAndItsRefutations() {
        pacing.attempted(0);
        assertThat(pacing.settle(false, false, 299_000, 3)).isFalse();
        assertThat(pacing.settle(false, false, 300_000, 3)).isTrue();

        pacing.paceFor(rise(240, 10 * MB), false, Long.MAX_VALUE, false);
        assertThat(pacing.paceMillis()).as("no refutation carried over").isEqualTo(60_000);
    }

    @Test
    void aCheckIsWantedEarlyOnlyWhileSomethingWaitsAndTheNextHistogramIsDue() {
        pacing.attempted(0);
        assertThat(pacing.wantsCheck(400_000)).as("nothing waits").isFalse();

        pacing.paceFor(rise(240, 10 * MB), false, Long.MAX_VALUE, false);
        pacing.settle(true, false, 0, 1);
        assertThat(pacing.risePending()).isTrue();
        assertThat(pacing.wantsCheck(59_000)).isFalse();
        assertThat(pacing.wantsCheck(60_000)).isTrue();

        pacing.settle(true, true, 60_000, 3);
        assertThat(pacing.wantsCheck(400_000)).as("confirmed: nothing waits").isFalse();
    }
}
