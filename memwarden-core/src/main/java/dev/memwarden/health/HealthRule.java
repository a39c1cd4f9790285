package dev.memwarden.health;

import dev.memwarden.telemetry.Metric;
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
}
