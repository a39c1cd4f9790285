package dev.memwarden.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A metric's history over a range, at the resolution of the tier that answered. At the finest resolution each
 * point usually holds one sample, so min, mean and max coincide.
 */
public record Series(Metric metric, Duration resolution, List<Point> points) {
    public Series {
        points = List.copyOf(points);
    }

    /** One bucket: when it starts and the min, mean and max of the samples that fell into it. */
    public record Point(Instant start, double min, double mean, double max) {}
}
