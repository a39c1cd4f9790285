package dev.memwarden.internal.telemetry;

import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link Timeline} memwarden's sampler records into: each tier a ring of time buckets stored as columns of
 * primitives ({@link TieredSeries}), allocated once. Thread-safe: the sampler records, any thread reads.
 */
public final class TimelineStore implements Timeline {
    private static final Metric[] HISTORICAL =
            Arrays.stream(Metric.values()).filter(Metric::historical).toArray(Metric[]::new);

    private final TieredSeries store;
    private final int[] seriesOf = new int[SampleBuffer.METRICS];
    private final double[] row = new double[HISTORICAL.length];

    private TimelineStore(List<Timeline.Tier> settings) {
        this.store = new TieredSeries(settings, HISTORICAL.length);
        Arrays.fill(seriesOf, -1);
        for (int s = 0; s < HISTORICAL.length; s++) {
            seriesOf[SampleBuffer.column(HISTORICAL[s])] = s;
        }
    }

    public static TimelineStore create(List<Timeline.Tier> tiers) {
        return new TimelineStore(tiers);
    }

    public static long footprintBytes(List<Timeline.Tier> tiers, int seriesCount) {
        return 32
                + TieredSeries.align(16 + 4L * SampleBuffer.METRICS)
                + TieredSeries.align(16 + 8L * seriesCount)
                + TieredSeries.footprintBytes(tiers, seriesCount);
    }

    @Override
    public long footprintBytes() {
        return footprintBytes(store.tiers(), HISTORICAL.length);
    }

    public static List<Metric> metrics() {
        return List.of(HISTORICAL);
    }

    @Override
    public List<Timeline.Tier> tiers() {
        return store.tiers();
    }

    /** Adds one sample, at its own timestamp, to every tier. Samples older than a tier's newest bucket are ignored. */
    public synchronized void record(SampleBuffer sample) {
        for (int s = 0; s < HISTORICAL.length; s++) {
            row[s] = sample.get(HISTORICAL[s]);
        }
        store.record(sample.takenAtMillis(), row);
    }

    @Override
    public synchronized Timeline.Series range(Metric metric, Instant from, Instant to) {
        int series = seriesOf[SampleBuffer.column(metric)];
        if (series < 0) {
            throw new IllegalArgumentException(metric + " is not kept in the timeline; read it from a snapshot");
        }
        long fromMillis = from.toEpochMilli();
        return new Timeline.Series(
                metric, store.resolution(fromMillis), store.points(series, fromMillis, to.toEpochMilli()));
    }

    @Override
    public synchronized Timeline.Series latest(Metric metric, Duration span) {
        long newest = store.newestMillis();
        return range(metric, Instant.ofEpochMilli(newest - span.toMillis()), Instant.ofEpochMilli(newest));
    }
}
