package dev.memwarden.health;

import java.time.Instant;

/**
 * A rule changed level.
 *
 * @param value the rule's value when it changed, {@code NaN} when the rule stopped applying
 * @param overall the JVM's overall level after the change
 */
public record HealthTransition(
        Instant at, String rule, Level from, Level to, double value, Level overall, String reason) {}
