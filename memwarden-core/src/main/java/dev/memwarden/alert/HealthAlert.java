package dev.memwarden.alert;

import dev.memwarden.health.HealthTransition;
import dev.memwarden.health.Level;
import java.time.Instant;

/** A health rule changed level. */
public record HealthAlert(HealthTransition transition) implements Alert {
    @Override
    public Instant at() {
        return transition.at();
    }

    @Override
    public Level level() {
        return transition.to();
    }

    @Override
    public String key() {
        return "health." + transition.rule();
    }

    @Override
    public String text() {
        HealthTransition t = transition;
        String verb = t.to().compareTo(t.from()) > 0 ? "raised" : "cleared";
        return "memwarden: " + t.rule() + " " + t.from() + " -> " + t.to() + " (" + verb + "; overall " + t.overall()
                + "): " + t.reason();
    }
}
