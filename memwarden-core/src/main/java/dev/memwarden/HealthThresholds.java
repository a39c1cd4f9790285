package dev.memwarden;

import dev.memwarden.health.HealthRule;
import dev.memwarden.health.Level;
import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The built-in health rules' thresholds as the configuration sets them, and the rules they make: a threshold set to
 * off (null) is left out, a rule with none left is not made, and WARN must sit below CRITICAL. Mutable: the
 * {@link MemwardenConfig.Builder} sets it, key by key.
 */
final class HealthThresholds {
    @Nullable
    Double heapWarn = 0.75;

    Duration heapWarnFor = Duration.ofMinutes(2);

    @Nullable
    Double heapCritical = 0.85;

    Duration heapCriticalFor = Duration.ofMinutes(5);

    @Nullable
    Double heapSevere = 0.95;

    Duration heapSevereFor = Duration.ofSeconds(30);

    @Nullable
    Double rssWarn = 0.80;

    @Nullable
    Double rssCritical = 0.90;

    Duration rssFor = Duration.ofSeconds(30);

    @Nullable
    Long rssWarnBytes;

    @Nullable
    Long rssCriticalBytes;

    @Nullable
    Double gcWarn = 0.10;

    @Nullable
    Double gcCritical = 0.25;

    Duration gcFor = Duration.ZERO;

    @Nullable
    Double directWarn = 0.80;

    @Nullable
    Double directCritical = 0.90;

    @Nullable
    Double metaspaceWarn = 0.80;

    @Nullable
    Double metaspaceCritical = 0.90;

    @Nullable
    Double fdsWarn = 0.80;

    @Nullable
    Double fdsCritical = 0.90;

    Duration limitsFor = Duration.ofSeconds(30);
    double hysteresis = 0.05;

    /** The built-in rules, in a fixed order, from the thresholds that are on. */
    List<HealthRule> rules() {
        List<HealthRule> rules = new ArrayList<>();
        addRatioRule(
                rules,
                "heap.live",
                "live heap after GC",
                Metric.LIVE_SET,
                Metric.HEAP_MAX,
                ordered(
                        warn(ConfigKey.HEAP_WARN, heapWarn, heapWarnFor),
                        critical(ConfigKey.HEAP_CRITICAL, heapCritical, heapCriticalFor),
                        critical(ConfigKey.HEAP_SEVERE, heapSevere, heapSevereFor)));
        addRatioRule(
                rules,
                "rss.container",
                "process RSS",
                Metric.RSS,
                Metric.CONTAINER_LIMIT,
                ordered(
                        warn(ConfigKey.RSS_WARN, rssWarn, rssFor),
                        critical(ConfigKey.RSS_CRITICAL, rssCritical, rssFor)));
        List<HealthRule.Threshold> rssSize = ordered(
                warn(ConfigKey.RSS_WARN_BYTES, toDouble(rssWarnBytes), rssFor),
                critical(ConfigKey.RSS_CRITICAL_BYTES, toDouble(rssCriticalBytes), rssFor));
        if (!rssSize.isEmpty()) {
            double margin = rssSize.get(0).value() * hysteresis;
            rules.add(HealthRule.absolute("rss.size", "process RSS", Metric.RSS, margin, rssSize));
        }
        List<HealthRule.Threshold> gc =
                ordered(warn(ConfigKey.GC_WARN, gcWarn, gcFor), critical(ConfigKey.GC_CRITICAL, gcCritical, gcFor));
        if (!gc.isEmpty()) {
            rules.add(HealthRule.absolute("gc.overhead", "time in GC pauses", Metric.GC_OVERHEAD, hysteresis, gc));
        }
        addRatioRule(
                rules,
                "direct",
                "direct buffer memory",
                Metric.DIRECT_USED,
                Metric.DIRECT_MAX,
                ordered(
                        warn(ConfigKey.DIRECT_WARN, directWarn, limitsFor),
                        critical(ConfigKey.DIRECT_CRITICAL, directCritical, limitsFor)));
        addRatioRule(
                rules,
                "metaspace",
                "metaspace",
                Metric.METASPACE_USED,
                Metric.METASPACE_MAX,
                ordered(
                        warn(ConfigKey.METASPACE_WARN, metaspaceWarn, limitsFor),
                        critical(ConfigKey.METASPACE_CRITICAL, metaspaceCritical, limitsFor)));
        addRatioRule(
                rules,
                "fds",
                "open file descriptors",
                Metric.FDS_OPEN,
                Metric.FDS_MAX,
                ordered(
                        warn(ConfigKey.FDS_WARN, fdsWarn, limitsFor),
                        critical(ConfigKey.FDS_CRITICAL, fdsCritical, limitsFor)));
        return rules;
    }

    private void addRatioRule(
            List<HealthRule> rules,
            String name,
            String subject,
            Metric metric,
            Metric limit,
            List<HealthRule.Threshold> t) {
        if (!t.isEmpty()) {
            rules.add(HealthRule.ratio(name, subject, metric, limit, hysteresis, t));
        }
    }

    private static @Nullable Double toDouble(@Nullable Long value) {
        return value == null ? null : value.doubleValue();
    }

    /** A configured threshold, or an off one (null value) that {@link #ordered} leaves out. */
    private record Candidate(ConfigKey key, Level level, @Nullable Double value, Duration holdFor) {}

    private static Candidate warn(ConfigKey key, @Nullable Double value, Duration holdFor) {
        return new Candidate(key, Level.WARN, value, holdFor);
    }

    private static Candidate critical(ConfigKey key, @Nullable Double value, Duration holdFor) {
        return new Candidate(key, Level.CRITICAL, value, holdFor);
    }

    /** The thresholds that are on; each must exceed the one before it, so WARN cannot sit above CRITICAL. */
    private static List<HealthRule.Threshold> ordered(Candidate... candidates) {
        List<HealthRule.Threshold> thresholds = new ArrayList<>();
        Candidate previous = null;
        for (Candidate c : candidates) {
            Double value = c.value();
            if (value == null) {
                continue;
            }
            if (c.holdFor().isNegative()) {
                throw new IllegalArgumentException(c.key().key() + ": the hold duration cannot be negative");
            }
            Double previousValue = previous == null ? null : previous.value();
            if (previous != null && previousValue != null && value <= previousValue) {
                throw new IllegalArgumentException(c.key().key() + " (" + value + ") must be above "
                        + previous.key().key() + " (" + previousValue + ")");
            }
            thresholds.add(new HealthRule.Threshold(c.level(), value, c.holdFor()));
            previous = c;
        }
        return thresholds;
    }
}
