package dev.memwarden;

import dev.memwarden.telemetry.Timeline;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses configuration text; every error names the key, the value and what is allowed. */
final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    private ConfigValues() {}

    static boolean isOff(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("off") || t.equals("none") || t.isEmpty();
    }

    static MemwardenConfig.Switch onOffAuto(ConfigKey key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> MemwardenConfig.Switch.ON;
            case "off", "false" -> MemwardenConfig.Switch.OFF;
            case "auto" -> MemwardenConfig.Switch.AUTO;
            default -> throw new IllegalArgumentException(key.key() + " is on, off or auto, not '" + text + "'");
        };
    }

    static boolean onOff(ConfigKey key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException(key.key() + " is on or off, not '" + text + "'");
        };
    }

    static Duration duration(ConfigKey key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw invalid(key, text, "a duration such as 500ms, 30s, 2m, 1h, 7d or PT30S");
        }
    }

    static double ratio(ConfigKey key, String text) {
        String t = text.trim();
        try {
            double value = t.endsWith("%")
                    ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                    : Double.parseDouble(t);
            if (value > 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw invalid(key, text, "a share above 0 and at most 1, such as 0.75 or 75%, or off");
    }

    static long bytes(ConfigKey key, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            int shift =
                    switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "k" -> 10;
                        case "m" -> 20;
                        case "g" -> 30;
                        case "t" -> 40;
                        default -> 0;
                    };
            long value = (long) (n * (1L << shift));
            if (value > 0) {
                return value;
            }
        }
        throw invalid(key, text, "a size such as 150MB, 512m, 2GiB or a number of bytes, or off");
    }

    /** A host name or address, as given. */
    static String text(ConfigKey key, String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(key, text, "a host name or address");
        }
        return trimmed;
    }

    static int integer(ConfigKey key, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw invalid(key, text, "a whole number from " + min + " to " + max);
    }

    static @Nullable URI url(ConfigKey key, String text) {
        if (isOff(text)) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // fall through to the message below
        }
        // The value itself is not echoed: webhook URLs carry their secret.
        throw new IllegalArgumentException(key.key()
                + ": not an absolute http:// or https:// URL with a host (value not shown; it may hold a secret)");
    }

    static List<Timeline.Tier> tiers(ConfigKey key, String text) {
        List<Timeline.Tier> tiers = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] widthAndSpan = part.trim().split(":", -1);
            if (widthAndSpan.length != 2) {
                throw invalid(key, text, "tiers written bucket:span, comma-separated, e.g. 1s:10m,15s:6h,5m:7d");
            }
            try {
                tiers.add(new Timeline.Tier(duration(key, widthAndSpan[0]), duration(key, widthAndSpan[1])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key.key() + ": '" + part.trim() + "': " + e.getMessage(), e);
            }
        }
        return tiers;
    }

    static IllegalArgumentException invalid(ConfigKey key, String text, String allowed) {
        return new IllegalArgumentException(key.key() + ": '" + text + "' is not allowed; expected " + allowed);
    }
}
