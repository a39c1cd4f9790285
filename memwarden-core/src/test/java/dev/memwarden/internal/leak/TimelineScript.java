package dev.memwarden.internal.leak;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.Samples;
import dev.memwarden.internal.telemetry.TimelineStore;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * A timeline written a sample a second from scripted metrics, for the tests of one detector layer: a healthy
 * baseline (1 GiB heap, 200 MiB live, everything flat) unless a metric is scripted otherwise.
 */
final class TimelineScript {
    static final long T0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    static final double MB = 1 << 20;

    final TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
    final ResourceRegistry registry = ResourceRegistry.create(Timeline.Tier.DEFAULTS, 8);
    final OwnClassLoads ownClasses = new OwnClassLoads(() -> 0);
    private final Map<Metric, IntToDoubleFunction> scripted = new EnumMap<>(Metric.class);
    private SampleBuffer last = Samples.at(T0);
    private int seconds;

    TimelineScript with(Metric metric, IntToDoubleFunction atSecond) {
        scripted.put(metric, atSecond);
        return this;
    }

    /** Writes {@code count} more samples, a second apart, and samples the registry with each. */
    TimelineScript run(int count) {
        for (int i = 0; i < count; i++, seconds++) {
            last = sample(seconds);
            timeline.record(last);
            registry.sample(last.takenAtMillis());
        }
        return this;
    }

    /** The last sample written. */
    SampleBuffer last() {
        return last;
    }

    long lastMillis() {
        return last.takenAtMillis();
    }

    WindowSlicer slicer(int slices) {
        WindowSlicer slicer = new WindowSlicer(timeline, slices, ownClasses);
        slicer.beginCheck(last);
        return slicer;
    }

    private SampleBuffer sample(int second) {
        SampleBuffer b = baseline(T0 + second * 1000L);
        scripted.forEach((metric, value) -> Samples.with(b, metric, value.applyAsDouble(second)));
        return b;
    }

    /** A healthy sample: 1 GiB max heap, 200 MiB live, flat everything. */
    static SampleBuffer baseline(long epochMillis) {
        SampleBuffer b = Samples.at(epochMillis);
        Samples.with(b, Metric.HEAP_MAX, 1024 * MB);
        Samples.with(b, Metric.HEAP_COMMITTED, 512 * MB);
        Samples.with(b, Metric.NON_HEAP_COMMITTED, 100 * MB);
        Samples.with(b, Metric.LIVE_SET, 200 * MB);
        Samples.with(b, Metric.CLASSES_LOADED, 9000);
        Samples.with(b, Metric.THREADS, 40);
        Samples.with(b, Metric.FDS_OPEN, 120);
        Samples.with(b, Metric.DIRECT_USED, 8 * MB);
        Samples.with(b, Metric.METASPACE_USED, 60 * MB);
        Samples.with(b, Metric.COMPRESSED_CLASS_USED, 8 * MB);
        Samples.with(b, Metric.RSS, 700 * MB);
        return b;
    }
}
