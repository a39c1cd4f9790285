package dev.memwarden.internal.leak;

import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Layer 1: the live set after GC, at every scale from the window down to {@link #SHORTEST_SCALE}, and the RSS against
 * the container limit. A rise counts at a scale where it is significant, more than 1 MiB and 1 % of the heap over that
 * span, and not levelling off. A fast leak shows first in the short spans, a slow one only in the long; of the scales
 * that show one, the most certain speaks. Used under the detector's lock.
 */
final class LiveSetTrend {
    /** The shortest span a live-set trend is looked for in: a leak that fast exhausts a small heap in a minute. */
    static final Duration SHORTEST_SCALE = Duration.ofSeconds(20);

    private final WindowSlicer slicer;
    private final long windowMillis;

    /** The spans the live set's trend is looked for in, longest first: the window, then halves of it. */
    private final long[] scalesMillis;

    /**
     * A span shorter than the shortest of {@link #scalesMillis}, a second a slice, where only an imminent rise counts:
     * one that would exhaust the heap before the shortest scale could show it. 0 where the window has no room for it.
     */
    private final long imminentScaleMillis;

    LiveSetTrend(WindowSlicer slicer, Duration window) {
        this.slicer = slicer;
        this.windowMillis = window.toMillis();
        this.scalesMillis = scales(window, slicer.slices());
        this.imminentScaleMillis = imminentScale(scalesMillis, slicer.slices());
    }

    long[] scalesMillis() {
        return scalesMillis.clone();
    }

    /**
     * The window and its halves down to {@link #SHORTEST_SCALE}, longest first; each cut into the same number of
     * slices, so a slice of the shortest still spans a sample or more.
     */
    static long[] scales(Duration window, int slices) {
        long shortest = Math.max(SHORTEST_SCALE.toMillis(), slices * 1_500L);
        List<Long> scales = new ArrayList<>();
        scales.add(window.toMillis());
        for (long scale = window.toMillis() / 2; scale >= shortest; scale /= 2) {
            scales.add(scale);
        }
        return scales.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The span of {@code slices} seconds, if shorter than the shortest scale: at a sample a second, the shortest whose
     * slices each hold one, so that their minima still skip the odd sample taken before a collection.
     */
    static long imminentScale(long[] scales, int slices) {
        long span = slices * 1_000L;
        return span < scales[scales.length - 1] ? span : 0;
    }

    /**
     * The most certain rise over the scales. Within a short span the climb of a sawtooth (temporaries promoted, then
     * collected) looks like a leak, and only histograms, each after a full collection, tell them apart: unless
     * {@code verifiable}, only the window speaks. Below the shortest scale, the imminent span counts a rise only if it
     * would exhaust the heap within the shortest scale: by the time that span holds the eight slices a trend needs to
     * be told from a plateau (about 20 s), such a leak has run the heap out.
     */
    @Nullable
    Rise rise(long to, double heapMax, double liveNow, boolean verifiable) {
        double least = least(heapMax);
        Rise best = null;
        for (int i = 0; i < (verifiable ? scalesMillis.length : 1); i++) {
            best = moreCertain(best, riseOver(scalesMillis[i], to, least));
        }
        if (verifiable && imminentScaleMillis > 0) {
            Rise imminent = riseOver(imminentScaleMillis, to, least);
            long shortestScaleSeconds = scalesMillis[scalesMillis.length - 1] / 1000;
            if (imminent != null
                    && Rise.secondsToExhaustion(heapMax, liveNow, imminent.trend()) < shortestScaleSeconds) {
                best = moreCertain(best, imminent);
            }
        }
        return best;
    }

    /** Whether the live set rises significantly over the last {@code scale}, not levelling off. */
    boolean risesOver(long scale, long to, double heapMax) {
        return riseOver(scale, to, least(heapMax)) != null;
    }

    /**
     * Whether the live set rose all through the window: data in all but one of its slices, both halves rising. Growth
     * that long is past what a cache filling or a batch explains, however it was first seen.
     */
    boolean risesAllThroughTheWindow(long to, double heapMax) {
        Sliced live = window(to);
        return live.risesAllThrough(slicer.slices()) && riseOver(windowMillis, to, least(heapMax)) != null;
    }

    private static double least(double heapMax) {
        return Math.max(1 << 20, (Double.isFinite(heapMax) ? heapMax : 0) * 0.01);
    }

    /** The live set over the whole window, rise or not. */
    Sliced window(long to) {
        return slicer.slice(Metric.LIVE_SET, to - windowMillis, to);
    }

    /** A significant rise of the live set over the last {@code scale}, more than {@code least}, not levelling off. */
    private @Nullable Rise riseOver(long scale, long to, double least) {
        Sliced live = slicer.slice(Metric.LIVE_SET, to - scale, to);
        Trend trend = live.trend();
        boolean rises = trend.confidence() >= Verdicts.SUSPECT_CONFIDENCE
                && trend.slope() * scale > least
                && !live.plateau(trend);
        return rises ? new Rise(scale, trend, (long) live.times[0]) : null;
    }

    private static @Nullable Rise moreCertain(@Nullable Rise a, @Nullable Rise b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return b.trend().confidence() > a.trend().confidence() ? b : a;
    }

    /** The RSS trend against the container limit: in how many seconds the kernel kills the process at this rate. */
    @Nullable
    Long secondsToContainerLimit(SampleBuffer now) {
        double limit = now.get(Metric.CONTAINER_LIMIT);
        double rss = now.get(Metric.RSS);
        if (!Double.isFinite(limit) || Double.isNaN(rss)) {
            return null;
        }
        long to = now.takenAtMillis();
        Sliced sliced = slicer.slice(Metric.RSS, to - windowMillis, to);
        Trend trend = sliced.trend();
        if (trend.confidence() < Verdicts.SUSPECT_CONFIDENCE || trend.slope() <= 0 || sliced.plateau(trend)) {
            return null;
        }
        double grown = trend.slope() * windowMillis;
        if (grown < Math.max(1 << 20, limit * 0.01)) {
            return null;
        }
        return (long) Math.max(0, (limit - rss) / trend.slope() / 1000);
    }
}
