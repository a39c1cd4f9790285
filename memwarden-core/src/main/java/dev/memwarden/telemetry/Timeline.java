package dev.memwarden.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The history of every {@link Metric#historical() historical} metric in memory fixed at construction.
 *
 * <p>Each tier is a ring of time buckets stored as columns of primitives ({@link TieredSeries}). A {@code float} keeps about seven significant
 * digits: a 4 GiB value is kept to within 256 bytes, which is far below what a trend or a threshold can tell.
 * {@link #footprintBytes(List, int)} gives the memory up front; the default tiers for all metrics take 1.3 MB.
 *
 * <p>Thread-safe: the sampler records, any thread reads.
 */
public final class Timeline {
    private static final Metric[] HISTORICAL =
            Arrays.stream(Metric.values()).filter(Metric::historical).toArray(Metric[]::new);

    private final TieredSeries store;
    private final int[] seriesOf = new int[Metric.count()];
    private final double[] row = new double[HISTORICAL.length];

    private Timeline(List<TimelineTier> settings) {
        this.store = new TieredSeries(settings, HISTORICAL.length);
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
        return 32
                + TieredSeries.align(16 + 4L * Metric.count())
                + TieredSeries.align(16 + 8L * seriesCount)
                + TieredSeries.footprintBytes(tiers, seriesCount);
    }

    /** Bytes this timeline holds. */
    public long footprintBytes() {
        return footprintBytes(store.tiers(), HISTORICAL.length);
    }

    /** The metrics this timeline keeps. */
    public static List<Metric> metrics() {
        return List.of(HISTORICAL);
    }

    public List<TimelineTier> tiers() {
        return store.tiers();
    }

    /** Adds one sample, at its own timestamp, to every tier. Samples older than a tier's newest bucket are ignored. */
    public synchronized void record(SampleBuffer sample) {
        for (int s = 0; s < HISTORICAL.length; s++) {
            row[s] = sample.get(HISTORICAL[s]);
        }
        store.record(sample.takenAtMillis(), row);
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
        return new Series(metric, store.resolution(fromMillis), store.points(series, fromMillis, to.toEpochMilli()));
    }

    /** The last {@code span} of a metric, ending at the newest sample. */
    public synchronized Series latest(Metric metric, Duration span) {
        long newest = store.newestMillis();
        return range(metric, Instant.ofEpochMilli(newest - span.toMillis()), Instant.ofEpochMilli(newest));
    }
}
