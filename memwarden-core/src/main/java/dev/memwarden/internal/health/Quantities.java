package dev.memwarden.internal.health;

import dev.memwarden.internal.Format;
import dev.memwarden.telemetry.Metric;
import java.util.Locale;

/** Human-readable values for reasons and alerts. */
final class Quantities {
    private Quantities() {}

    static String format(Metric.Unit unit, double value) {
        return switch (unit) {
            case BYTES -> Format.bytes(value);
            case BYTES_PER_SECOND -> Format.bytes(value) + "/s";
            case RATIO -> String.format(Locale.ROOT, "%.1f %%", value * 100);
            case COUNT -> String.format(Locale.ROOT, "%.0f", value);
            case MILLISECONDS -> String.format(Locale.ROOT, "%.0f ms", value);
            case NANOSECONDS -> String.format(Locale.ROOT, "%.0f ns", value);
        };
    }
}
