package dev.memwarden.internal.telemetry;

import dev.memwarden.telemetry.Metric;
import java.util.List;

/** Builds sample buffers with chosen values, for tests of what reads samples. */
public final class Samples {
    private Samples() {}

    /** An empty buffer (every metric absent) taken at {@code epochMillis}. */
    public static SampleBuffer at(long epochMillis) {
        SampleBuffer buffer = new SampleBuffer(List.of(), new boolean[0], List.of());
        buffer.setTakenAt(epochMillis);
        return buffer;
    }

    public static SampleBuffer with(SampleBuffer buffer, Metric metric, double value) {
        buffer.set(metric, value);
        return buffer;
    }
}
