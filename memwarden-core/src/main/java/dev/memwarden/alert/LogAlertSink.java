package dev.memwarden.alert;

import dev.memwarden.health.Level;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Writes alerts to a {@link System.Logger}: CRITICAL as ERROR, WARN as WARNING, a return to OK as INFO. At most one
 * line per alert key per interval, so a flapping rule cannot flood the log; the next line that passes says how many
 * were suppressed.
 */
public final class LogAlertSink implements AlertSink {
    static final int MAX_KEYS = 256;

    private final System.Logger logger;
    private final RateLimiter limiter;

    public LogAlertSink(Duration interval) {
        this(System.getLogger("dev.memwarden.alert"), interval, InstantSource.system());
    }

    LogAlertSink(System.Logger logger, Duration interval, InstantSource clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the log alert interval cannot be negative: " + interval);
        }
        this.logger = logger;
        this.limiter = new RateLimiter(interval, MAX_KEYS, clock);
    }

    @Override
    public void accept(Alert alert) {
        long suppressed = limiter.tryAcquire(alert.key());
        if (suppressed < 0) {
            return;
        }
        String text = suppressed == 0
                ? alert.text()
                : alert.text() + " (" + suppressed + " similar alert" + (suppressed == 1 ? "" : "s") + " suppressed)";
        logger.log(loggerLevel(alert.level()), text);
    }

    private static System.Logger.Level loggerLevel(Level level) {
        return switch (level) {
            case CRITICAL -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case OK -> System.Logger.Level.INFO;
        };
    }
}
