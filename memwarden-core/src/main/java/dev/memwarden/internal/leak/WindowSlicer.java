package dev.memwarden.internal.leak;

import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a span of a metric into equal slices and keeps each slice's minimum: what every layer's trend is taken on.
 * A leak raises the floor of a series; promotion noise and bursts do not. Points from before start-up ended are left
 * out, and so, for loaded classes and metaspace, are memwarden's own classes. Within one check each metric and span
 * is sliced once: several layers read RSS and loaded classes. Used under the detector's lock.
 */
final class WindowSlicer {
    private final Timeline timeline;
    private final int slices;
    private final OwnClassLoads ownClasses;
    private final Map<SliceKey, Sliced> slicedThisCheck = new HashMap<>();
    private long startUpEndedAt = Long.MIN_VALUE;

    /**
     * The metaspace each of memwarden's own classes is taken to use where it was not measured around their loading:
     * the average per loaded class at this check. Measured on JDK 17 and 25, the JMX server's and the JFR parser's took
     * 4 to 5 KB each, near a service's average.
     */
    private double metaspacePerClass = Double.NaN;

    private record SliceKey(Metric metric, long from) {}

    WindowSlicer(Timeline timeline, int slices, OwnClassLoads ownClasses) {
        this.timeline = timeline;
        this.slices = slices;
        this.ownClasses = ownClasses;
    }

    int slices() {
        return slices;
    }

    /** Starts a check at this sample: what earlier checks sliced is stale. */
    void beginCheck(SampleBuffer now) {
        slicedThisCheck.clear();
        metaspacePerClass = now.get(Metric.METASPACE_USED) / now.get(Metric.CLASSES_LOADED);
    }

    /** From now on, points before this time are start-up, not growth. */
    void startUpEndedAt(long millis) {
        startUpEndedAt = millis;
        slicedThisCheck.clear();
    }

    Sliced slice(Metric metric, long from, long to) {
        return slicedThisCheck.computeIfAbsent(new SliceKey(metric, from), key -> {
            List<Timeline.Series.Point> points = timeline.range(
                            metric, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))
                    .points();
            return slice(ownShare(metric) ? withoutOwnClasses(metric, points) : points, from, to);
        });
    }

    /** What a suspect's evidence says where its figures leave memwarden's own classes out. */
    String ownLeftOut(Metric metric) {
        return ownClasses.any() && ownShare(metric) ? ", not counting memwarden's own classes" : "";
    }

    /** Whether memwarden's own classes move the metric: loaded classes, and metaspace once it is known per class. */
    private boolean ownShare(Metric metric) {
        return metric == Metric.CLASSES_LOADED
                || (metric == Metric.METASPACE_USED && Double.isFinite(metaspacePerClass));
    }

    /** What memwarden's own classes account for in the metric before {@code millis}. */
    private double ownBefore(Metric metric, long millis) {
        return metric == Metric.CLASSES_LOADED
                ? ownClasses.loadedBefore(millis)
                : ownClasses.metaspaceBefore(millis, metaspacePerClass);
    }

    /**
     * The service's share of a series that grows with loaded classes: from every point, what memwarden had loaded
     * before it began (its classes, or the metaspace they took). Subtracted from the growth instead, a few hundred classes loaded at
     * once (a first histogram, a first recording parsed) were a step that the trend's slope stretched over the whole
     * window, to several times their number.
     */
    private List<Timeline.Series.Point> withoutOwnClasses(Metric metric, List<Timeline.Series.Point> points) {
        if (!ownClasses.any()) {
            return points;
        }
        List<Timeline.Series.Point> service = new ArrayList<>(points.size());
        for (Timeline.Series.Point p : points) {
            double own = ownBefore(metric, p.start().toEpochMilli());
            service.add(new Timeline.Series.Point(p.start(), p.min() - own, p.mean() - own, p.max() - own));
        }
        return service;
    }

    /** Cuts [from, to] into equal slices and keeps each non-empty slice's minimum, at the slice's middle. */
    Sliced slice(List<Timeline.Series.Point> points, long from, long to) {
        double[] minima = new double[slices];
        Arrays.fill(minima, Double.NaN);
        double width = (to - from) / (double) slices;
        for (Timeline.Series.Point p : points) {
            long t = p.start().toEpochMilli();
            int s = (int) Math.min(slices - 1, Math.max(0, Math.floor((t - from) / width)));
            if (t < from || t < startUpEndedAt || Double.isNaN(p.min())) {
                continue;
            }
            minima[s] = Double.isNaN(minima[s]) ? p.min() : Math.min(minima[s], p.min());
        }
        int n = 0;
        for (double m : minima) {
            if (!Double.isNaN(m)) {
                n++;
            }
        }
        double[] times = new double[n];
        double[] values = new double[n];
        int k = 0;
        for (int s = 0; s < slices; s++) {
            if (!Double.isNaN(minima[s])) {
                times[k] = from + (s + 0.5) * width;
                values[k] = minima[s];
                k++;
            }
        }
        return new Sliced(times, values);
    }
}
