package dev.memwarden.internal.telemetry;

import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine under {@link Timeline}: a fixed number of series kept in tiers of time buckets, as columns of
 * primitives allocated once. Each tier is a ring: one {@code long} bucket start per slot, shared by all series,
 * and {@code float} min/mean/max per series and slot. Every record goes into every tier, so a coarse bucket
 * aggregates raw values, not finer buckets.
 *
 * <p>Thread-safe: writers and readers synchronize on this object.
 */
public final class TieredSeries {
    private final List<Timeline.Tier> settings;
    private final int seriesCount;
    private final Tier[] tiers;

    public TieredSeries(List<Timeline.Tier> tiers, int seriesCount) {
        if (seriesCount < 1) {
            throw new IllegalArgumentException("a tiered series store holds at least 1 series, not " + seriesCount);
        }
        this.settings = Timeline.Tier.validate(tiers);
        this.seriesCount = seriesCount;
        this.tiers = new Tier[tiers.size()];
        for (int i = 0; i < this.tiers.length; i++) {
            this.tiers[i] = new Tier(tiers.get(i), seriesCount);
        }
    }

    /** Bytes the arrays take for these tiers and this many series, object headers included. */
    public static long footprintBytes(List<Timeline.Tier> tiers, int seriesCount) {
        long total = 32 + align(16 + 4L * tiers.size());
        for (Timeline.Tier tier : tiers) {
            total += Tier.footprint(tier.buckets(), seriesCount);
        }
        return total;
    }

    public long footprintBytes() {
        return footprintBytes(settings, seriesCount);
    }

    public List<Timeline.Tier> tiers() {
        return settings;
    }

    public int seriesCount() {
        return seriesCount;
    }

    /**
     * Adds one value per series at {@code millis}; {@code NaN} leaves a series without a value. Values older than a
     * tier's newest bucket are ignored.
     */
    public synchronized void record(long millis, double[] values) {
        if (values.length != seriesCount) {
            throw new IllegalArgumentException("expected " + seriesCount + " values, got " + values.length);
        }
        for (Tier tier : tiers) {
            tier.record(millis, values);
        }
    }

    /** Forgets everything one series holds, so its slot can be given to another. */
    public synchronized void clear(int series) {
        for (Tier tier : tiers) {
            tier.clear(series);
        }
    }

    /** One series between two instants, from the finest tier that reaches back to {@code from}. */
    public synchronized List<Timeline.Series.Point> points(int series, long fromMillis, long toMillis) {
        return choose(fromMillis).points(series, fromMillis, toMillis);
    }

    /** The bucket width that {@link #points} answers with for a range starting at {@code fromMillis}. */
    public synchronized Duration resolution(long fromMillis) {
        return Duration.ofMillis(choose(fromMillis).width);
    }

    /** The last millisecond of the newest bucket, 0 when nothing was recorded. */
    public synchronized long newestMillis() {
        return tiers[0].newestBucketEnd();
    }

    private Tier choose(long fromMillis) {
        for (Tier tier : tiers) {
            if (tier.reachesBackTo(fromMillis)) {
                return tier;
            }
        }
        return tiers[tiers.length - 1];
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** One ring of buckets; column-major, {@code [series * buckets + slot]}. */
    private static final class Tier {
        private static final long EMPTY = Long.MIN_VALUE;

        final long width;
        final int buckets;
        final long[] bucketStart;
        final float[] min;
        final float[] mean;
        final float[] max;
        final double[] sum;
        final int[] count;
        long current = EMPTY;

        Tier(Timeline.Tier settings, int series) {
            this.width = settings.width().toMillis();
            this.buckets = settings.buckets();
            this.bucketStart = new long[buckets];
            Arrays.fill(bucketStart, EMPTY);
            this.min = new float[buckets * series];
            this.mean = new float[buckets * series];
            this.max = new float[buckets * series];
            this.sum = new double[series];
            this.count = new int[series];
        }

        static long footprint(int buckets, int series) {
            return 48
                    + align(16 + 8L * buckets)
                    + 3 * align(16 + 4L * buckets * series)
                    + align(16 + 8L * series)
                    + align(16 + 4L * series);
        }

        void record(long millis, double[] values) {
            long bucket = Math.floorDiv(millis, width);
            if (current != EMPTY && bucket < current) {
                return;
            }
            int slot = (int) Math.floorMod(bucket, (long) buckets);
            if (bucket != current) {
                current = bucket;
                bucketStart[slot] = bucket * width;
                Arrays.fill(sum, 0);
                Arrays.fill(count, 0);
                for (int s = 0; s < values.length; s++) {
                    int i = s * buckets + slot;
                    min[i] = Float.NaN;
                    mean[i] = Float.NaN;
                    max[i] = Float.NaN;
                }
            }
            for (int s = 0; s < values.length; s++) {
                double v = values[s];
                if (Double.isNaN(v)) {
                    continue;
                }
                int i = s * buckets + slot;
                float f = (float) v;
                count[s]++;
                sum[s] += v;
                min[i] = count[s] == 1 ? f : Math.min(min[i], f);
                max[i] = count[s] == 1 ? f : Math.max(max[i], f);
                mean[i] = (float) (sum[s] / count[s]);
            }
        }

        void clear(int series) {
            int from = series * buckets;
            Arrays.fill(min, from, from + buckets, Float.NaN);
            Arrays.fill(mean, from, from + buckets, Float.NaN);
            Arrays.fill(max, from, from + buckets, Float.NaN);
            sum[series] = 0;
            count[series] = 0;
        }

        boolean reachesBackTo(long millis) {
            return current != EMPTY && (current - buckets + 1) * width <= millis;
        }

        long newestBucketEnd() {
            return current == EMPTY ? 0 : (current + 1) * width - 1;
        }

        List<Timeline.Series.Point> points(int series, long fromMillis, long toMillis) {
            List<Timeline.Series.Point> points = new ArrayList<>();
            if (current == EMPTY) {
                return points;
            }
            long first = Math.max(Math.floorDiv(fromMillis, width), current - buckets + 1);
            long last = Math.min(Math.floorDiv(toMillis, width), current);
            for (long bucket = first; bucket <= last; bucket++) {
                int slot = (int) Math.floorMod(bucket, (long) buckets);
                int i = series * buckets + slot;
                if (bucketStart[slot] == bucket * width && !Float.isNaN(mean[i])) {
                    points.add(
                            new Timeline.Series.Point(Instant.ofEpochMilli(bucket * width), min[i], mean[i], max[i]));
                }
            }
            return points;
        }
    }
}
