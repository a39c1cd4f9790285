package dev.memwarden.internal.alert;

import dev.memwarden.alert.Alert;
import dev.memwarden.alert.AlertSink;
import dev.memwarden.bounded.RateLimitedLogger;
import dev.memwarden.health.Level;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Writes alerts to a {@link System.Logger}: CRITICAL as ERROR, WARN as WARNING, a return to OK as INFO. At most one
 * line per alert key per interval, so a flapping rule cannot flood the log; the next line that passes says how many
 * were suppressed.
 */
public final class LogAlertSink implements AlertSink {
    private final RateLimitedLogger logger;

    public LogAlertSink(Duration interval) {
        this(System.getLogger("dev.memwarden.alert"), interval, InstantSource.system());
    }

    LogAlertSink(System.Logger logger, Duration interval, InstantSource clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the log alert interval cannot be negative: " + interval);
        }
        this.logger =
                RateLimitedLogger.builder(logger).rate(1, interval).clock(clock).build();
    }

    @Override
    public void accept(Alert alert) {
        logger.log(alert.key(), loggerLevel(alert.level()), alert.text());
    }

    private static System.Logger.Level loggerLevel(Level level) {
        return switch (level) {
            case CRITICAL -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case OK -> System.Logger.Level.INFO;
        };
    }
}
