package dev.memwarden.telemetry;

import dev.memwarden.internal.telemetry.TimelineStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The history of every {@link Metric#historical() historical} metric, in memory fixed when memwarden starts: tiers of
 * time buckets (by default 1 s for 10 minutes, 15 s for 6 hours, 5 minutes for 7 days), each bucket holding the min,
 * mean and max of its samples. Values are kept as {@code float}: a 4 GiB value to within 256 bytes, far below what a
 * trend or a threshold can tell. Thread-safe: memwarden's sampler records, any thread reads.
 */
public interface Timeline {
    /**
     * The metric between {@code from} and {@code to}, from the finest tier that reaches back to {@code from} (the
     * coarsest when none does). Buckets with no sample are left out.
     *
     * @throws IllegalArgumentException for a metric that is not {@link Metric#historical() historical}
     */
    Series range(Metric metric, Instant from, Instant to);

    /** The last {@code span} of a metric, ending at the newest sample. */
    Series latest(Metric metric, Duration span);

    List<TimelineTier> tiers();

    /** Bytes this timeline holds. */
    long footprintBytes();

    /** The metrics a timeline keeps. */
    static List<Metric> metrics() {
        return TimelineStore.metrics();
    }

    /** Bytes a timeline's arrays take for these tiers and this many metrics, object headers included. */
    static long footprintBytes(List<TimelineTier> tiers, int seriesCount) {
        return TimelineStore.footprintBytes(tiers, seriesCount);
    }
}
