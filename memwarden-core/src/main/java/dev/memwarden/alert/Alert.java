package dev.memwarden.alert;

import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.leak.LeakReport;
import java.time.Instant;

/** Something an operator should hear about: a health rule changed level, or the leak verdict changed. */
public sealed interface Alert {
    Instant at();

    /** How serious it is. */
    Level level();

    /** Groups alerts of one origin, e.g. the rule's name, so sinks can rate-limit per origin. */
    String key();

    /** One line for a person: what changed, the value, the threshold. */
    String text();

    /** A health rule changed level. */
    record Health(HealthStatus.Transition transition) implements Alert {
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
            HealthStatus.Transition t = transition;
            String verb = t.to().compareTo(t.from()) > 0 ? "raised" : "cleared";
            return "memwarden: " + t.rule() + " " + t.from() + " -> " + t.to() + " (" + verb + "; overall "
                    + t.overall() + "): " + t.reason();
        }
    }

    /** The leak verdict changed, e.g. NONE to SUSPECTED. */
    record Leak(LeakReport report, LeakReport.Verdict previous) implements Alert {
        @Override
        public Instant at() {
            return report.checkedAt();
        }

        /** CONFIRMED is critical, SUSPECTED a warning, back to NONE is OK. */
        @Override
        public Level level() {
            return switch (report.verdict()) {
                case CONFIRMED -> Level.CRITICAL;
                case SUSPECTED -> Level.WARN;
                case NONE -> Level.OK;
            };
        }

        @Override
        public String key() {
            return "leak";
        }

        @Override
        public String text() {
            String top = report.suspects().isEmpty()
                    ? ""
                    : "; top suspect: " + report.suspects().get(0).name() + " ("
                            + report.suspects().get(0).evidence() + ")";
            return "memwarden: leak verdict " + previous + " -> " + report.verdict()
                    + String.format(java.util.Locale.ROOT, " (confidence %.3f)", report.confidence()) + top;
        }
    }
}
