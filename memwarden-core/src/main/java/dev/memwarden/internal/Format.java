package dev.memwarden.internal;

import java.time.Duration;
import java.util.Locale;

/** The one way memwarden writes sizes and durations for people: binary units, and the two largest time units. */
public final class Format {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Format() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 27.0 MiB}, {@code -3.2 GiB}: one decimal past bytes. */
    public static String bytes(double value) {
        double v = Math.abs(value);
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        String sign = value < 0 ? "-" : "";
        return u == 0
                ? String.format(Locale.ROOT, "%s%.0f B", sign, v)
                : String.format(Locale.ROOT, "%s%.1f %s", sign, v, UNITS[u]);
    }

    public static String bytes(long value) {
        return bytes((double) value);
    }

    /**
     * A size as a JVM flag would give it: {@code 2 GiB} where it is whole gibibytes, else whole mebibytes, else whole
     * kibibytes. For limits and budgets, which are set in such units.
     */
    public static String wholeBytes(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%d KiB", bytes / 1024);
    }

    /** {@code 33s}, {@code 4m 14s}, {@code 5m}, {@code 2h 5m}, {@code 3d 1h}: its two largest units. */
    public static String duration(long seconds) {
        return duration(Duration.ofSeconds(seconds));
    }

    /** As {@link #duration(long)}, whole seconds; under a second, in milliseconds ({@code 250ms}). */
    public static String duration(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0 && !d.isZero() && !d.isNegative()) {
            return d.toMillis() + "ms";
        }
        if (d.toDays() > 0) {
            return twoUnits(d.toDays(), "d", d.toHoursPart(), "h");
        }
        if (d.toHours() > 0) {
            return twoUnits(d.toHours(), "h", d.toMinutesPart(), "m");
        }
        if (d.toMinutes() > 0) {
            return twoUnits(d.toMinutes(), "m", d.toSecondsPart(), "s");
        }
        return d.toSeconds() + "s";
    }

    private static String twoUnits(long large, String largeUnit, int small, String smallUnit) {
        return small == 0 ? large + largeUnit : large + largeUnit + " " + small + smallUnit;
    }
}
