package dev.memwarden.health;

import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A metric, thresholds it must hold for a while to raise the level, and a hysteresis margin it must fall below to
 * clear. With a {@code limit}, the rule's value is {@code metric / limit} and thresholds are ratios; the rule does
 * not apply while the limit is absent or unlimited (RSS outside a container, metaspace without
 * {@code MaxMetaspaceSize}).
 *
 * @param name a short stable identifier, e.g. {@code heap.live}
 * @param subject how the reason text names the value, e.g. {@code live heap after GC}
 * @param hysteresis how far below a threshold the value must fall to clear it, in the rule's terms
 */
public record HealthRule(
        String name,
        String subject,
        Metric metric,
        @Nullable Metric limit,
        List<Threshold> thresholds,
        double hysteresis) {

    public HealthRule {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a health rule needs a name");
        }
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException("health rule " + name + " needs at least one threshold");
        }
        if (!Double.isFinite(hysteresis) || hysteresis < 0) {
            throw new IllegalArgumentException(
                    "health rule " + name + ": hysteresis is a finite value of 0 or more, not " + hysteresis);
        }
        thresholds = thresholds.stream()
                .sorted(Comparator.comparingDouble(Threshold::value))
                .toList();
    }

    /** A rule on {@code metric / limit}, e.g. live heap against max heap. */
    public static HealthRule ratio(
            String name, String subject, Metric metric, Metric limit, double hysteresis, List<Threshold> thresholds) {
        return new HealthRule(name, subject, metric, limit, thresholds, hysteresis);
    }

    /** A rule on the metric's own value, e.g. RSS above 200 MB. */
    public static HealthRule absolute(
            String name, String subject, Metric metric, double hysteresis, List<Threshold> thresholds) {
        return new HealthRule(name, subject, metric, null, thresholds, hysteresis);
    }

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
}
