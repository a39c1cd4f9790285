package dev.memwarden.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo was asked to do.
 *
 * @param port 0 for any free port
 * @param plain one status line every few seconds instead of one line updated in place (for logs and pipes)
 * @param json print the final leak report as one JSON line too, after the readable one
 * @param serviceDefaults run memwarden at a service's defaults instead of the demo's short window
 */
record DemoOptions(Leak leak, Duration duration, int port, boolean plain, boolean json, boolean serviceDefaults) {
    static final Leak DEFAULT_LEAK = Leak.SESSIONS;
    static final Duration DEFAULT_DURATION = Duration.ofMinutes(2);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(s|m|h)");

    static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: memwarden demo [--leak NAME] [--duration 2m] [--port N] [--plain] [--json] [--defaults]",
            "  --leak NAME      which leak to switch on (default " + DEFAULT_LEAK.cliName() + "): " + Leak.names(),
            "  --duration D     how long to run, e.g. 90s, 5m, 1h (default 2m)",
            "  --port N         the service's port on 127.0.0.1 (default: any free port)",
            "  --plain          a status line every 5 seconds instead of one updated in place",
            "  --json           also print the final leak report as one line of JSON",
            "  --defaults       watch as a service would, at memwarden's defaults (a 30-minute window checked every",
            "                   minute) instead of the demo's 2-minute window: a verdict takes minutes");

    static DemoOptions parse(String... args) {
        Leak leak = DEFAULT_LEAK;
        Duration duration = DEFAULT_DURATION;
        int port = 0;
        boolean plain = false;
        boolean json = false;
        boolean serviceDefaults = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--leak" -> leak = Leak.parse(value(args, ++i, arg));
                case "--duration" -> duration = duration(value(args, ++i, arg));
                case "--port" -> port = port(value(args, ++i, arg));
                case "--plain" -> plain = true;
                case "--json" -> json = true;
                case "--defaults" -> serviceDefaults = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new DemoOptions(leak, duration, port, plain, json, serviceDefaults);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "--duration takes a number and a unit (s, m or h), e.g. 90s, not '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d =
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
        if (d.compareTo(Duration.ofSeconds(10)) < 0 || d.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("--duration is 10s to 24h, not " + text);
        }
        return d;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the text
        }
        throw new IllegalArgumentException("--port is 0 to 65535, not '" + text + "'");
    }
}
