package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TrendTest {
    private static double[] xs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 1000.0;
        }
        return x;
    }

    @Test
    void aSteadyRiseHasItsSlopeAndHighConfidence() {
        double[] x = xs(12);
        double[] y = new double[12];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100 + 5 * i;
        }
        Trend trend = Trend.of(x, y);
        assertThat(trend.slope()).isCloseTo(0.005, within(1e-12));
        assertThat(trend.confidence()).isGreaterThan(0.999);
    }

    @Test
    void oneOutlierMovesNeitherTheSlopeNorTheVerdict() {
        double[] x = xs(12);
        double[] y = new double[12];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100;
        }
        y[5] = 10_000; // one enormous spike
        Trend trend = Trend.of(x, y);
        assertThat(trend.slope()).isZero();
        assertThat(trend.confidence()).isBetween(0.3, 0.7);
    }

    @Test
    void noiseAroundAFlatLineIsNotATrend() {
        Random random = new Random(42);
        int falseAlarms = 0;
        for (int run = 0; run < 1000; run++) {
            double[] y = new double[12];
            for (int i = 0; i < y.length; i++) {
                y[i] = 1000 + random.nextGaussian() * 50;
            }
            if (Trend.of(xs(12), y).confidence() >= 0.99) {
                falseAlarms++;
            }
        }
        // At 99 % confidence about 1 % of pure-noise series look like a rise; allow for sampling error.
        assertThat(falseAlarms).isLessThan(25);
    }

    @Test
    void aFallingSeriesHasLowConfidenceOfRising() {
        double[] y = {10, 9, 8, 7, 6, 5, 4, 3};
        assertThat(Trend.of(xs(8), y).confidence()).isLessThan(0.01);
        assertThat(Trend.of(xs(8), y).slope()).isNegative();
    }

    @Test
    void theNormalCdfMatchesKnownValues() {
        assertThat(Trend.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Trend.normalCdf(1.6448536)).isCloseTo(0.95, within(1e-6));
        assertThat(Trend.normalCdf(2.3263479)).isCloseTo(0.99, within(1e-6));
        assertThat(Trend.normalCdf(-1.959964)).isCloseTo(0.025, within(1e-6));
    }

    @Test
    void tooFewPointsSayNothing() {
        assertThat(Trend.of(new double[] {0, 1}, new double[] {1, 2}).confidence())
                .isZero();
    }
}
