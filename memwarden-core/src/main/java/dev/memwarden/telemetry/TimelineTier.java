package dev.memwarden.telemetry;

import java.time.Duration;
import java.util.List;

/**
 * One resolution of the {@link Timeline}: buckets of {@code width} covering the last {@code span}.
 *
 * <p>Written {@code width:span} in configuration, e.g. {@code 15s:6h}.
 */
public record TimelineTier(Duration width, Duration span) {
    static final int MAX_BUCKETS = 1_000_000;

    /** 1 s × 10 min, 15 s × 6 h, 5 min × 7 days. */
    public static final List<TimelineTier> DEFAULTS = List.of(
            new TimelineTier(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            new TimelineTier(Duration.ofSeconds(15), Duration.ofHours(6)),
            new TimelineTier(Duration.ofMinutes(5), Duration.ofDays(7)));

    public TimelineTier {
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
    public static List<TimelineTier> validate(List<TimelineTier> tiers) {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("the timeline needs at least one tier");
        }
        for (int i = 1; i < tiers.size(); i++) {
            TimelineTier finer = tiers.get(i - 1);
            TimelineTier coarser = tiers.get(i);
            if (coarser.width.compareTo(finer.width) <= 0 || coarser.span.compareTo(finer.span) <= 0) {
                throw new IllegalArgumentException("timeline tiers go from fine to coarse, each wider and longer: "
                        + coarser + " does not follow " + finer);
            }
        }
        return List.copyOf(tiers);
    }
}
