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

    List<Tier> tiers();

    /** Bytes this timeline holds. */
    long footprintBytes();

    /** The metrics a timeline keeps. */
    static List<Metric> metrics() {
        return TimelineStore.metrics();
    }

    /** Bytes a timeline's arrays take for these tiers and this many metrics, object headers included. */
    static long footprintBytes(List<Tier> tiers, int seriesCount) {
        return TimelineStore.footprintBytes(tiers, seriesCount);
    }

    /**
     * One resolution of the {@link Timeline}: buckets of {@code width} covering the last {@code span}.
     *
     * <p>Written {@code width:span} in configuration, e.g. {@code 15s:6h}.
     */
    record Tier(Duration width, Duration span) {
        static final int MAX_BUCKETS = 1_000_000;

        /** 1 s × 10 min, 15 s × 6 h, 5 min × 7 days. */
        public static final List<Tier> DEFAULTS = List.of(
                new Tier(Duration.ofSeconds(1), Duration.ofMinutes(10)),
                new Tier(Duration.ofSeconds(15), Duration.ofHours(6)),
                new Tier(Duration.ofMinutes(5), Duration.ofDays(7)));

        public Tier {
            if (width.toMillis() < 1) {
                throw new IllegalArgumentException("a timeline bucket is at least 1ms wide, not " + width);
            }
            if (span.compareTo(width) < 0 || span.toMillis() % width.toMillis() != 0) {
                throw new IllegalArgumentException("a timeline tier's span must be a whole number of buckets: " + span
                        + " is not a multiple of " + width);
            }
            long buckets = span.toMillis() / width.toMillis();
            if (buckets > MAX_BUCKETS) {
                throw new IllegalArgumentException("a timeline tier holds at most " + MAX_BUCKETS + " buckets; " + width
                        + " over " + span + " would be " + buckets);
            }
        }

        public int buckets() {
            return (int) (span.toMillis() / width.toMillis());
        }

        /** Checks a list of tiers: at least one, each coarser than the one before and spanning further back. */
        public static List<Tier> validate(List<Tier> tiers) {
            if (tiers.isEmpty()) {
                throw new IllegalArgumentException("the timeline needs at least one tier");
            }
            for (int i = 1; i < tiers.size(); i++) {
                Tier finer = tiers.get(i - 1);
                Tier coarser = tiers.get(i);
                if (coarser.width.compareTo(finer.width) <= 0 || coarser.span.compareTo(finer.span) <= 0) {
                    throw new IllegalArgumentException("timeline tiers go from fine to coarse, each wider and longer: "
                            + coarser + " does not follow " + finer);
                }
            }
            return List.copyOf(tiers);
        }
    }

    /**
     * A metric's history over a range, at the resolution of the tier that answered. At the finest resolution each
     * point usually holds one sample, so min, mean and max coincide.
     */
    record Series(Metric metric, Duration resolution, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }

        /** One bucket: when it starts and the min, mean and max of the samples that fell into it. */
        public record Point(Instant start, double min, double mean, double max) {}
    }
}
