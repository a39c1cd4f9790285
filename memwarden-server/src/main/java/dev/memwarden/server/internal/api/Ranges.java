package dev.memwarden.server.internal.api;

import dev.memwarden.server.internal.http.ApiException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A time range as a person types it in a URL: {@code 90s}, {@code 10m}, {@code 6h}, {@code 7d}. */
final class Ranges {
    private static final Pattern RANGE = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

    private Ranges() {}

    static Duration parse(String text, Duration max) {
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            throw ApiException.badRequest(
                    "range must be a number and a unit (s, m, h, d), such as 10m or 6h; not " + text);
        }
        long n = Long.parseLong(m.group(1));
        Duration range =
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
        if (range.compareTo(max) > 0) {
            throw ApiException.badRequest("range is at most " + max.toDays() + "d; not " + text);
        }
        return range;
    }
}
