package dev.memwarden.internal.health;

import dev.memwarden.health.HealthRule;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.internal.Format;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.telemetry.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates every rule on every sample. A threshold becomes active once the value has stayed at or above it for
 * its hold duration, measured in sample time, and stays active until the value falls below it by the rule's
 * hysteresis margin; a rule's level is that of its highest active threshold.
 *
 * <p>Evaluation allocates only when a level changes. Thread-safe: the sampler evaluates, any thread reads
 * {@link #status()}.
 */
public final class HealthEvaluator {
    private static final long NEVER = Long.MIN_VALUE;

    private final List<HealthRule> rules;
    private final RuleState[] states;
    private long evaluatedAt;

    public HealthEvaluator(List<HealthRule> rules) {
        this.rules = List.copyOf(rules);
        this.states = new RuleState[rules.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new RuleState(rules.get(i).thresholds().size());
        }
    }

    public List<HealthRule> rules() {
        return rules;
    }

    /** Evaluates the sample, at its own timestamp; returns the level changes it caused, usually none. */
    public synchronized List<HealthStatus.Transition> evaluate(SampleBuffer sample) {
        long now = sample.takenAtMillis();
        evaluatedAt = now;
        boolean changed = false;
        for (int r = 0; r < rules.size(); r++) {
            HealthRule rule = rules.get(r);
            RuleState state = states[r];
            double value = valueOf(rule, sample);
            state.value = value;
            Level level = Level.OK;
            List<HealthRule.Threshold> thresholds = rule.thresholds();
            for (int t = 0; t < thresholds.size(); t++) {
                HealthRule.Threshold threshold = thresholds.get(t);
                if (state.update(t, threshold, rule.hysteresis(), value, now)) {
                    level = level.worse(threshold.level());
                }
            }
            if (state.levelSince == NEVER) {
                state.levelSince = now;
            }
            state.changedFrom = null;
            if (level != state.level) {
                state.changedFrom = state.level;
                state.level = level;
                state.levelSince = now;
                changed = true;
            }
        }
        if (!changed) {
            return List.of();
        }
        // The overall level and the reasons are only known once every rule has been evaluated.
        Level overall = overall();
        List<HealthStatus.Transition> transitions = new ArrayList<>(2);
        for (int r = 0; r < rules.size(); r++) {
            RuleState state = states[r];
            Level from = state.changedFrom;
            if (from != null) {
                transitions.add(new HealthStatus.Transition(
                        Instant.ofEpochMilli(now),
                        rules.get(r).name(),
                        from,
                        state.level,
                        state.value,
                        overall,
                        reason(r)));
            }
        }
        return transitions;
    }

    public synchronized Level level() {
        return overall();
    }

    private Level overall() {
        Level overall = Level.OK;
        for (RuleState state : states) {
            overall = overall.worse(state.level);
        }
        return overall;
    }

    public synchronized HealthStatus status() {
        List<HealthStatus.RuleStatus> statuses = new ArrayList<>(rules.size());
        for (int r = 0; r < rules.size(); r++) {
            RuleState state = states[r];
            HealthRule.Threshold threshold = currentThreshold(r);
            statuses.add(new HealthStatus.RuleStatus(
                    rules.get(r).name(),
                    state.level,
                    Double.isNaN(state.value) ? OptionalDouble.empty() : OptionalDouble.of(state.value),
                    OptionalDouble.of(threshold.value()),
                    state.levelSince == NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(state.levelSince)),
                    reason(r)));
        }
        return new HealthStatus(overall(), Instant.ofEpochMilli(evaluatedAt), statuses);
    }

    /** The highest active threshold, or the lowest one while the rule is OK. */
    private HealthRule.Threshold currentThreshold(int r) {
        List<HealthRule.Threshold> thresholds = rules.get(r).thresholds();
        RuleState state = states[r];
        HealthRule.Threshold current = thresholds.get(0);
        for (int t = 0; t < thresholds.size(); t++) {
            if (state.active[t] && thresholds.get(t).level() == state.level) {
                current = thresholds.get(t);
            }
        }
        return current;
    }

    private String reason(int r) {
        HealthRule rule = rules.get(r);
        RuleState state = states[r];
        if (Double.isNaN(state.value)) {
            return notApplicableReason(rule);
        }
        HealthRule.Threshold threshold = currentThreshold(r);
        String value = rule.subject() + " at " + format(rule, state.value);
        if (state.level == Level.OK) {
            return value + ", below " + format(rule, threshold.value());
        }
        return String.format(
                Locale.ROOT,
                "%s, at or above %s for %s or longer",
                value,
                format(rule, threshold.value()),
                threshold.holdFor().isZero() ? "any time" : Format.duration(threshold.holdFor()));
    }

    private static final class RuleState {
        final long[] aboveSince;
        final boolean[] active;
        Level level = Level.OK;
        /** The level the rule left in the latest evaluation; null when it did not change. */
        @Nullable
        Level changedFrom;

        long levelSince = NEVER;
        double value = Double.NaN;

        RuleState(int thresholds) {
            aboveSince = new long[thresholds];
            active = new boolean[thresholds];
            java.util.Arrays.fill(aboveSince, NEVER);
        }

        /** Advances one threshold's state; true when it is active after this value. */
        boolean update(int t, HealthRule.Threshold threshold, double hysteresis, double value, long now) {
            if (Double.isNaN(value)) {
                active[t] = false;
                aboveSince[t] = NEVER;
            } else if (active[t]) {
                if (value < threshold.value() - hysteresis) {
                    active[t] = false;
                    aboveSince[t] = NEVER;
                }
            } else if (value >= threshold.value()) {
                if (aboveSince[t] == NEVER) {
                    aboveSince[t] = now;
                }
                active[t] = now - aboveSince[t] >= threshold.holdFor().toMillis();
            } else {
                aboveSince[t] = NEVER;
            }
            return active[t];
        }
    }

    /** The rule's value in this sample, {@code NaN} when the rule does not apply to it. */
    static double valueOf(HealthRule rule, SampleBuffer sample) {
        double value = sample.get(rule.metric());
        Metric limit = rule.limit();
        if (limit == null || Double.isNaN(value)) {
            return value;
        }
        double bound = sample.get(limit);
        if (Double.isNaN(bound) || Double.isInfinite(bound) || bound <= 0) {
            return Double.NaN;
        }
        return value / bound;
    }

    /** Why the rule does not apply, for the status line. */
    private static String notApplicableReason(HealthRule rule) {
        Metric limit = rule.limit();
        if (limit != null) {
            return "not applicable: no " + limit.description();
        }
        return "not applicable: " + rule.metric().description() + " is not available here";
    }

    private static String format(HealthRule rule, double value) {
        Metric limit = rule.limit();
        if (limit != null) {
            return String.format(Locale.ROOT, "%.1f %% of %s", value * 100, limit.key());
        }
        return Quantities.format(rule.metric().unit(), value);
    }
}
