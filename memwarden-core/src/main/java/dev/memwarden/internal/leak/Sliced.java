package dev.memwarden.internal.leak;

import java.util.Arrays;

/** A window's slice minima, oldest first. A plain class: arrays in a record would compare by identity. */
final class Sliced {
    /** Fewer slices with data than this show no trend. */
    static final int MIN_POINTS = 6;

    final double[] times;
    final double[] values;

    Sliced(double[] times, double[] values) {
        this.times = times;
        this.values = values;
    }

    int points() {
        return values.length;
    }

    double first() {
        return values[0];
    }

    double last() {
        return values[values.length - 1];
    }

    /** From the first slice's minimum to the last one's: the time the data cover. */
    long spanMillis() {
        return points() < 2 ? 0 : (long) (times[points() - 1] - times[0]);
    }

    Trend trend() {
        return points() < MIN_POINTS ? Trend.NONE : Trend.of(times, values);
    }

    /**
     * The second half no longer rises: its own trend is weak, or under a quarter of the whole window's. A cache
     * that warmed up and levelled off looks like this; a leak does not.
     */
    boolean plateau(Trend whole) {
        int half = points() / 2;
        if (half < 3 || whole.slope() <= 0) {
            return false;
        }
        double[] t = Arrays.copyOfRange(times, points() - half, points());
        double[] v = Arrays.copyOfRange(values, points() - half, points());
        Trend recent = Trend.of(t, v);
        return recent.confidence() < 0.9 || recent.slope() < whole.slope() * 0.25;
    }

    /**
     * Data in all but one of the span's {@code slices}, and its first half rising too: a rise all through the span,
     * not a flat start and a late climb. Whether the whole span rises is the caller's trend.
     */
    boolean risesAllThrough(int slices) {
        return points() >= slices - 1 && risesInFirstHalf();
    }

    /** The first half rises too: a rise all through the span, not a flat start and a late climb. */
    private boolean risesInFirstHalf() {
        int half = points() / 2;
        if (half < 3) {
            return false;
        }
        Trend early = Trend.of(Arrays.copyOfRange(times, 0, half), Arrays.copyOfRange(values, 0, half));
        return early.confidence() >= 0.9 && early.slope() > 0;
    }

    /** How far the series moved, as a share of its highest value; 0 for no data. */
    double spread() {
        double high = Arrays.stream(values).max().orElse(0);
        return high <= 0 ? 0 : range() / high;
    }

    /** How far the series moved: its highest value less its lowest; 0 for no data. */
    double range() {
        return Arrays.stream(values).max().orElse(0)
                - Arrays.stream(values).min().orElse(0);
    }

    /** This slicing's values less another's, slice by slice; both must hold the same slices. */
    Sliced minus(Sliced other) {
        double[] difference = new double[points()];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = values[i] - other.values[i];
        }
        return new Sliced(times, difference);
    }
}
