package dev.memwarden.alert;

import dev.memwarden.health.Level;
import java.time.Instant;

/** Something an operator should hear about: a health rule changed level, or the leak verdict changed. */
public sealed interface Alert permits HealthAlert, LeakAlert {
    Instant at();

    /** How serious it is. */
    Level level();

    /** Groups alerts of one origin, e.g. the rule's name, so sinks can rate-limit per origin. */
    String key();

    /** One line for a person: what changed, the value, the threshold. */
    String text();
}
