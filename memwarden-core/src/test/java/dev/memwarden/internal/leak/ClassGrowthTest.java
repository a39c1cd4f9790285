package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer 4 alone: scripted histograms, a minute apart. */
class ClassGrowthTest {
    private static final long MINUTE = 60_000;

    private final Deque<long[]> script = new ArrayDeque<>();
    private final ClassGrowth growth = new ClassGrowth(this::next, new OwnClassLoads(() -> 0));

    /** A histogram of sessions (48 bytes each), byte arrays (1000 bytes each) and memwarden's own samples. */
    private GcClassHistogram next(Instant at) {
        long[] counts = script.removeFirst();
        return new GcClassHistogram(
                at,
                Map.of(
                        "com.acme.Session",
                        new GcClassHistogram.Entry("com.acme.Session", counts[0], counts[0] * 48),
                        "[B (java.base@17.0.15)",
                        new GcClassHistogram.Entry("[B (java.base@17.0.15)", counts[1], counts[1] * 1000),
                        "dev.memwarden.internal.leak.Sliced",
                        new GcClassHistogram.Entry("dev.memwarden.internal.leak.Sliced", counts[2], counts[2] * 32)));
    }

    private int taken;

    /** Takes the next histogram, a minute after the one before. */
    private void take(long sessions, long arrays, long own) {
        script.add(new long[] {sessions, arrays, own});
        assertThat(growth.take(Instant.ofEpochMilli(taken++ * MINUTE))).isTrue();
    }

    @Test
    void aClassThatGrewAcrossBothIntervalsIsASuspectAndMemwardensOwnIsNot() {
        take(100_000, 1000, 1000);
        take(200_000, 5000, 100_000);
        assertThat(growth.suspects()).as("two histograms name nothing").isEmpty();
        take(300_000, 5000, 200_000);

        assertThat(growth.suspects())
                .extracting(LeakReport.Suspect::name)
                .as("byte[] grew in the first interval only; Sliced is memwarden's")
                .containsExactly("com.acme.Session");
        LeakReport.Suspect suspect = growth.suspects().get(0);
        assertThat(suspect.kind()).isEqualTo(LeakReport.Kind.CLASS);
        assertThat(suspect.evidence()).contains("100000 to 300000 instances");
    }

    @Test
    void threeRisingTotalsVerifyARise() {
        take(100_000, 1000, 0);
        take(100_000, 2000, 0);
        assertThat(growth.verified(MINUTE, 1, MINUTE)).as("two histograms").isFalse();
        take(100_000, 3100, 0);

        assertThat(growth.verified(2 * MINUTE, 1, MINUTE)).isTrue();
        assertThat(growth.verified(5 * MINUTE, 1, MINUTE))
                .as("the latest is too old")
                .isFalse();
    }

    @Test
    void totalsThatRiseByLessThanAMebibyteDoNotVerify() {
        take(100_000, 1000, 0);
        take(100_000, 1400, 0);
        take(100_000, 1800, 0);
        assertThat(growth.verified(2 * MINUTE, 0, MINUTE)).isFalse();
    }

    @Test
    void aSwingThatRisesThreeTimesInARowWithinItsBoundsDoesNotVerify() {
        long[] arrays = {5000, 2000, 4000, 3000, 2500, 3500, 4500};
        for (long a : arrays) {
            take(100_000, a, 0);
        }
        // The last three rise (2500, 3500, 4500), but 5000 came before them in this episode.
        assertThat(growth.verified(6 * MINUTE, 0, MINUTE)).isFalse();

        growth.endEpisode();
        take(100_000, 5500, 0);
        take(100_000, 6700, 0);
        take(100_000, 7900, 0);
        assertThat(growth.verified(9 * MINUTE, 0, MINUTE))
                .as("a new episode: the earlier swing is forgotten")
                .isTrue();
    }

    @Test
    void withoutHistogramsLayerOneStandsAlone() {
        ClassGrowth none = new ClassGrowth(null, new OwnClassLoads(() -> 0));
        assertThat(none.takesHistograms()).isFalse();
        assertThat(none.verifies()).isFalse();
        assertThat(none.verified(0, 1, MINUTE)).isTrue();
        assertThat(none.take(Instant.EPOCH)).isFalse();
    }

    @Test
    void aHistogramThatFailsMakesTheLayerUnavailableUntilOneSucceeds() {
        // The script is empty: the source throws.
        assertThat(growth.take(Instant.EPOCH)).isFalse();
        assertThat(growth.verifies()).isFalse();

        take(100_000, 1000, 0);
        assertThat(growth.verifies()).isTrue();
    }

    @Test
    void classesLoadedWhileTakingAHistogramAreMemwardens() {
        long[] loaded = {100};
        OwnClassLoads own = new OwnClassLoads(() -> loaded[0]);
        ClassGrowth counting = new ClassGrowth(
                at -> {
                    loaded[0] += 250;
                    return new GcClassHistogram(at, Map.of());
                },
                own);
        counting.take(Instant.ofEpochMilli(1000));
        assertThat(own.loadedBefore(1001)).isEqualTo(250);
    }
}
