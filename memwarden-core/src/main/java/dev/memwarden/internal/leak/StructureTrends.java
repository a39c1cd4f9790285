package dev.memwarden.internal.leak;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.Tracked;
import dev.memwarden.internal.Format;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Timeline;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Layer 3: the structures in the resource registry. One with no bound of its own (a watched map, timers, listeners,
 * tracked resources) that only grows is a suspect. One that holds its own bound (a cache, ring buffer, queue or client
 * registry) never is: it evicts, overwrites, drops, spills or refuses at its bound, so its growth is warm-up while it
 * fills, and it can explain a rise of the live set away. Used under the detector's lock.
 */
final class StructureTrends {
    private static final double MS_PER_HOUR = 3_600_000;

    private final ResourceRegistry registry;
    private final WindowSlicer slicer;
    private final long windowMillis;

    StructureTrends(ResourceRegistry registry, WindowSlicer slicer, long windowMillis) {
        this.registry = registry;
        this.slicer = slicer;
        this.windowMillis = windowMillis;
    }

    private static boolean holdsItsOwnBound(Tracked.State resource) {
        return switch (resource.kind()) {
            case CACHE, RING_BUFFER, QUEUE, CLIENTS -> true;
            case TIMERS, LISTENERS, TRACKER, WATCHED -> false;
        };
    }

    /** Adds a suspect for every unbounded structure that rose over [from, to] and has not levelled off. */
    void suspects(long from, long to, List<LeakReport.Suspect> suspects) {
        for (Tracked.State resource : registry.resources()) {
            Optional<List<Timeline.Series.Point>> points = history(resource, from, to);
            if (points.isEmpty() || holdsItsOwnBound(resource)) {
                continue;
            }
            Sliced sliced = slicer.slice(points.get(), from, to);
            Trend trend = sliced.trend();
            if (sliced.points() < Sliced.MIN_POINTS) {
                continue;
            }
            double grown = trend.slope() * windowMillis;
            if (trend.confidence() < Verdicts.SUSPECT_CONFIDENCE
                    || grown < Math.max(10, sliced.first() * 0.1)
                    || sliced.plateau(trend)) {
                continue;
            }
            suspects.add(suspect(resource, sliced, trend));
        }
    }

    private static LeakReport.Suspect suspect(Tracked.State resource, Sliced sliced, Trend trend) {
        Double bytesPerHour = null;
        if (resource.estimatedBytes().isPresent() && resource.size() > 0) {
            double perElement = resource.estimatedBytes().getAsLong() / (double) resource.size();
            bytesPerHour = trend.slope() * MS_PER_HOUR * perElement;
        }
        String bound = resource.capacity().isPresent()
                ? "it is bounded at " + resource.capacity().getAsLong() + ": check that the bound is what you meant"
                : "nothing bounds it: put it behind a bounded primitive (capacity, eviction, expiry)";
        return new LeakReport.Resource(
                resource.name(),
                bytesPerHour,
                trend.slope() * MS_PER_HOUR,
                String.format(
                        Locale.ROOT,
                        "%s '%s' rose from %.0f to %.0f entries over %s (Mann–Kendall confidence %.3f)%s",
                        resource.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        resource.name(),
                        sliced.first(),
                        sliced.last(),
                        Format.duration(sliced.spanMillis() / 1000),
                        trend.confidence(),
                        resource.growthSite().isEmpty() ? "" : "; it crossed its warning line in the call below"),
                "'" + resource.name() + "' only grows: find what adds to it without removing; " + bound,
                resource.growthSite().isEmpty() ? null : resource.growthSite());
    }

    /**
     * Whether a bounded primitive explains a rise of the live set over [from, to], as a cache warming up does: it
     * grew by half the rise or more where it knows its bytes, or by a tenth of its capacity where it counts entries.
     * Asked for the recent half of a rise's span, where the live set still rises (or it would be a plateau): a
     * structure that reached its bound before then explains none of that. Over the whole span, a ring buffer of 100
     * short strings that filled at its start would explain away a leak of 40 MiB for as long as the window reached
     * back to it.
     */
    boolean boundedStructureExplains(long from, long to, double liveGrowthBytes) {
        for (Tracked.State resource : registry.resources()) {
            if (!holdsItsOwnBound(resource) || resource.size() <= 0) {
                continue;
            }
            Optional<List<Timeline.Series.Point>> points = history(resource, from, to);
            if (points.isEmpty() || points.get().size() < 2) {
                continue;
            }
            List<Timeline.Series.Point> series = points.get();
            double grownEntries =
                    series.get(series.size() - 1).min() - series.get(0).min();
            if (grownEntries <= 0) {
                continue;
            }
            if (resource.estimatedBytes().isPresent()) {
                double perEntry = resource.estimatedBytes().getAsLong() / (double) resource.size();
                if (grownEntries * perEntry >= liveGrowthBytes / 2) {
                    return true;
                }
            } else if (resource.capacity().isPresent()
                    && grownEntries >= resource.capacity().getAsLong() / 10.0) {
                return true;
            }
        }
        return false;
    }

    private Optional<List<Timeline.Series.Point>> history(Tracked.State resource, long from, long to) {
        return registry.history(resource.name(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
    }
}
