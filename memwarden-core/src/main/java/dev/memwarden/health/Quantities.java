package dev.memwarden.health;

import dev.memwarden.telemetry.Metric;
import java.util.Locale;

/** Human-readable values for reasons and alerts. */
final class Quantities {
    private Quantities() {}

    static String format(Metric.Unit unit, double value) {
        return switch (unit) {
            case BYTES -> bytes(value);
            case BYTES_PER_SECOND -> bytes(value) + "/s";
            case RATIO -> String.format(Locale.ROOT, "%.1f %%", value * 100);
            case COUNT -> String.format(Locale.ROOT, "%.0f", value);
            case MILLISECONDS -> String.format(Locale.ROOT, "%.0f ms", value);
            case NANOSECONDS -> String.format(Locale.ROOT, "%.0f ns", value);
        };
    }

    static String bytes(double value) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = value;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
