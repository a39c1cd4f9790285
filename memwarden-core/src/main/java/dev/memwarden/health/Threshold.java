package dev.memwarden.health;

import java.time.Duration;

/**
 * A rule reaches {@code level} when its value has stayed at or above {@code value} for {@code holdFor}.
 *
 * @param value in the rule's terms: a ratio (0.85) for rules against a limit, the metric's unit otherwise
 */
public record Threshold(Level level, double value, Duration holdFor) {
    public Threshold {
        if (level == Level.OK) {
            throw new IllegalArgumentException("a threshold raises the level to WARN or CRITICAL, not OK");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("a threshold is a finite value of 0 or more, not " + value);
        }
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("a threshold's hold duration cannot be negative: " + holdFor);
        }
    }

    public static Threshold warn(double value, Duration holdFor) {
        return new Threshold(Level.WARN, value, holdFor);
    }

    public static Threshold critical(double value, Duration holdFor) {
        return new Threshold(Level.CRITICAL, value, holdFor);
    }
}
