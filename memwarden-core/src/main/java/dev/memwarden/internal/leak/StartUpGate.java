package dev.memwarden.internal.leak;

import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the service is still starting: classes still being loaded in the second half of the last minute (or of the
 * shortest span over a minute that the samples fill, or of the window). Start-up fills pools and caches and loads
 * classes by the hundred; none of that is a leak. Once class loading has settled, start-up is over for good: classes
 * loaded later (a feature first used, a class-loader leak) are not start-up, and from then on every trend starts
 * where loading settled.
 *
 * <p>Start-up is not forever: a steady rate of class definition that never levels off (a class loader per tenant or
 * per request) is a leak pattern, not start-up. Whatever class loading does, start-up ends {@link #LONGEST} after the
 * first check (half the window, if shorter), and trends start a {@link #WARM_UP_SCALE} after that check. Used under
 * the detector's lock.
 */
final class StartUpGate {
    /** Start-up is over once class loading settled over this span (or the window, if shorter). */
    static final Duration WARM_UP_SCALE = Duration.ofMinutes(1);

    /** The longest a start-up is taken to last: services that start for longer still load their classes in this. */
    static final Duration LONGEST = Duration.ofMinutes(5);

    private final WindowSlicer slicer;
    private final long windowMillis;
    private final long[] spans;
    private final long longestMillis;
    private boolean warmedUp;
    private long firstCheckAt = Long.MIN_VALUE;

    /** @param scalesMillis the live-set trend's spans, longest first: a shorter one can show that loading settled */
    StartUpGate(WindowSlicer slicer, long windowMillis, long[] scalesMillis) {
        this.slicer = slicer;
        this.windowMillis = windowMillis;
        List<Long> candidates = new ArrayList<>();
        candidates.add(WARM_UP_SCALE.toMillis());
        for (int i = scalesMillis.length - 1; i > 0; i--) {
            candidates.add(scalesMillis[i]);
        }
        this.spans = candidates.stream().mapToLong(Long::longValue).toArray();
        this.longestMillis = Math.min(LONGEST.toMillis(), windowMillis / 2);
    }

    /** Whether start-up still runs at {@code to}; the first time it is over, tells the slicer where it ended. */
    boolean warmingUp(long to) {
        if (warmedUp) {
            return false;
        }
        if (firstCheckAt == Long.MIN_VALUE) {
            firstCheckAt = to;
        }
        if (to - firstCheckAt >= longestMillis) {
            warmedUp = true;
            slicer.startUpEndedAt(firstCheckAt + Math.min(WARM_UP_SCALE.toMillis(), longestMillis / 2));
            return false;
        }
        long from = to - windowMillis;
        Sliced whole = slicer.slice(Metric.CLASSES_LOADED, from, to);
        Sliced classes = settlingSpan(whole, to);
        if (classes.points() < Sliced.MIN_POINTS) {
            return true;
        }
        double[] y = classes.values;
        double mid = y[y.length / 2];
        double last = classes.last();
        // Settled: under one class a second since the middle of the span (a service's first requests load classes
        // by the hundred a second; afterwards a new code path loads a few).
        double settled = Math.max(50, (classes.times[y.length - 1] - classes.times[y.length / 2]) / 1000);
        // What memwarden loaded itself is not in the series: its first histogram loads the JFR parser, and taken
        // while start-up is judged (for an urgent rise), it would prolong start-up.
        warmedUp = last - mid <= settled;
        if (warmedUp) {
            // Found over the whole window: the start-up ramp is not growth.
            double halfSlice = (to - from) / (double) slicer.slices() / 2;
            for (int i = 0; i < whole.points(); i++) {
                if (last - whole.values[i] <= settled) {
                    slicer.startUpEndedAt((long) (whole.times[i] - halfSlice));
                    break;
                }
            }
        }
        return !warmedUp;
    }

    /** The shortest span of a minute or more whose slices all hold samples (a minute at one sample a second). */
    private Sliced settlingSpan(Sliced whole, long to) {
        for (long span : spans) {
            Sliced shorter = slicer.slice(Metric.CLASSES_LOADED, to - span, to);
            if (span >= WARM_UP_SCALE.toMillis() && span < windowMillis && shorter.points() == slicer.slices()) {
                return shorter;
            }
        }
        return whole;
    }
}
