package dev.memwarden.health;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** The overall level, the worst of the rules', and each rule's standing. */
public record HealthStatus(Level level, Instant evaluatedAt, List<RuleStatus> rules) {
    public HealthStatus {
        rules = List.copyOf(rules);
    }

    /**
     * One rule's standing.
     *
     * @param value the latest value, absent when the rule does not apply
     * @param threshold the threshold behind the current level, or the lowest one while OK
     * @param since when the rule entered its current level
     * @param reason one sentence: the value, the threshold and for how long
     */
    public record RuleStatus(
            String rule,
            Level level,
            OptionalDouble value,
            OptionalDouble threshold,
            Optional<Instant> since,
            String reason) {}

    public Optional<RuleStatus> rule(String name) {
        return rules.stream().filter(r -> r.rule().equals(name)).findFirst();
    }

    /**
     * A rule changed level.
     *
     * @param value the rule's value when it changed, {@code NaN} when the rule stopped applying
     * @param overall the JVM's overall level after the change
     */
    public record Transition(
            Instant at, String rule, Level from, Level to, double value, Level overall, String reason) {}
}
