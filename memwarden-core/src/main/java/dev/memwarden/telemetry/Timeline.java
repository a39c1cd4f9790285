package dev.memwarden.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The history of every {@link Metric#historical() historical} metric in memory fixed at construction.
 *
 * <p>Each tier is a ring of time buckets stored as columns of primitives: one {@code long} bucket start per slot,
 * shared by all metrics, and {@code float} min/mean/max per metric and slot. Every sample goes into every tier, so
 * a coarse bucket aggregates raw samples, not finer buckets. A {@code float} keeps about seven significant
 * digits: a 4 GiB value is kept to within 256 bytes, which is far below what a trend or a threshold can tell.
 * {@link #footprintBytes(List, int)} gives the memory up front; the default tiers for all metrics take 1.3 MB.
 *
 * <p>Thread-safe: the sampler records, any thread reads.
 */
public final class Timeline {
    private static final Metric[] HISTORICAL =
            Arrays.stream(Metric.values()).filter(Metric::historical).toArray(Metric[]::new);

    private final List<TimelineTier> settings;
    private final Tier[] tiers;
    private final int[] seriesOf = new int[Metric.count()];
    private final double[] row = new double[HISTORICAL.length];

    private Timeline(List<TimelineTier> settings) {
        this.settings = TimelineTier.validate(settings);
        this.tiers = new Tier[settings.size()];
        for (int i = 0; i < tiers.length; i++) {
            tiers[i] = new Tier(settings.get(i), HISTORICAL.length);
        }
        Arrays.fill(seriesOf, -1);
        for (int s = 0; s < HISTORICAL.length; s++) {
            seriesOf[HISTORICAL[s].column()] = s;
        }
    }

    public static Timeline create(List<TimelineTier> tiers) {
        return new Timeline(tiers);
    }

    /** Bytes the timeline's arrays take for these tiers and this many metrics, object headers included. */
    public static long footprintBytes(List<TimelineTier> tiers, int seriesCount) {
        long total = 16 + 3 * 16L + align(16 + 4L * Metric.count()) + align(16 + 8L * seriesCount);
        for (TimelineTier tier : tiers) {
            total += Tier.footprint(tier.buckets(), seriesCount);
        }
        return total;
    }

    /** Bytes this timeline holds. */
    public long footprintBytes() {
        return footprintBytes(settings, HISTORICAL.length);
    }

    /** The metrics this timeline keeps. */
    public static List<Metric> metrics() {
        return List.of(HISTORICAL);
    }

    public List<TimelineTier> tiers() {
        return settings;
    }

    /** Adds one sample, at its own timestamp, to every tier. Samples older than a tier's newest bucket are ignored. */
    public synchronized void record(SampleBuffer sample) {
        for (int s = 0; s < HISTORICAL.length; s++) {
            row[s] = sample.get(HISTORICAL[s]);
        }
        for (Tier tier : tiers) {
            tier.record(sample.takenAtMillis(), row);
        }
    }

    /**
     * The metric between {@code from} and {@code to}, from the finest tier that reaches back to {@code from}
     * (the coarsest when none does). Buckets with no sample are left out.
     */
    public synchronized Series range(Metric metric, Instant from, Instant to) {
        int series = seriesOf[metric.column()];
        if (series < 0) {
            throw new IllegalArgumentException(metric + " is not kept in the timeline; read it from a snapshot");
        }
        long fromMillis = from.toEpochMilli();
        Tier chosen = tiers[tiers.length - 1];
        for (Tier tier : tiers) {
            if (tier.reachesBackTo(fromMillis)) {
                chosen = tier;
                break;
            }
        }
        return new Series(
                metric, Duration.ofMillis(chosen.width), chosen.points(series, fromMillis, to.toEpochMilli()));
    }

    /** The last {@code span} of a metric, ending at the newest sample. */
    public synchronized Series latest(Metric metric, Duration span) {
        long newest = tiers[0].newestBucketEnd();
        return range(metric, Instant.ofEpochMilli(newest - span.toMillis()), Instant.ofEpochMilli(newest));
    }

    private static long align(long bytes) {
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

        Tier(TimelineTier settings, int series) {
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

        boolean reachesBackTo(long millis) {
            return current != EMPTY && (current - buckets + 1) * width <= millis;
        }

        long newestBucketEnd() {
            return current == EMPTY ? 0 : (current + 1) * width - 1;
        }

        List<Series.Point> points(int series, long fromMillis, long toMillis) {
            List<Series.Point> points = new ArrayList<>();
            if (current == EMPTY) {
                return points;
            }
            long first = Math.max(Math.floorDiv(fromMillis, width), current - buckets + 1);
            long last = Math.min(Math.floorDiv(toMillis, width), current);
            for (long bucket = first; bucket <= last; bucket++) {
                int slot = (int) Math.floorMod(bucket, (long) buckets);
                int i = series * buckets + slot;
                if (bucketStart[slot] == bucket * width && !Float.isNaN(mean[i])) {
                    points.add(new Series.Point(Instant.ofEpochMilli(bucket * width), min[i], mean[i], max[i]));
                }
            }
            return points;
        }
    }
}
