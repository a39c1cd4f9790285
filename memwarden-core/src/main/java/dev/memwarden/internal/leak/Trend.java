package dev.memwarden.internal.leak;

import java.util.Arrays;

/**
 * A robust trend of a short series: the Theil–Sen slope (the median of all pairwise slopes, unmoved by up to
 * 29 % of outliers) and the Mann–Kendall test (does the series rise more often than chance allows, counting
 * only the order of values, so a single spike cannot make a trend).
 *
 * @param slope units per millisecond, Theil–Sen
 * @param confidence one-sided: the probability, under the Mann–Kendall normal approximation with tie
 *     correction, that the series is not merely noise around a flat line; 0.5 means no evidence either way
 * @param points how many values it was computed from
 */
record Trend(double slope, double confidence, int points) {
    static final Trend NONE = new Trend(0, 0, 0);

    /** Needs at least 3 points; x must be increasing (timestamps). */
    static Trend of(double[] x, double[] y) {
        int n = x.length;
        if (n != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        if (n < 3) {
            return new Trend(0, 0, n);
        }
        return new Trend(theilSen(x, y), mannKendallConfidence(y), n);
    }

    static double theilSen(double[] x, double[] y) {
        int n = x.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[j] != x[i]) {
                    slopes[k++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        if (k == 0) {
            return 0;
        }
        double[] used = Arrays.copyOf(slopes, k);
        Arrays.sort(used);
        return k % 2 == 1 ? used[k / 2] : (used[k / 2 - 1] + used[k / 2]) / 2;
    }

    /** One-sided confidence that y increases, from Mann–Kendall's S with the variance corrected for ties. */
    static double mannKendallConfidence(double[] y) {
        int n = y.length;
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += Double.compare(y[j], y[i]) > 0 ? 1 : Double.compare(y[j], y[i]) < 0 ? -1 : 0;
            }
        }
        double variance = n * (n - 1.0) * (2.0 * n + 5) / 18;
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            int t = j - i;
            if (t > 1) {
                variance -= t * (t - 1.0) * (2.0 * t + 5) / 18;
            }
            i = j;
        }
        if (variance <= 0) {
            return 0.5;
        }
        double z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
        return normalCdf(z);
    }

    /** The standard normal CDF, via erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
