package dev.memwarden.alert;

import dev.memwarden.health.Level;
import dev.memwarden.leak.LeakReport;
import java.time.Instant;

/** The leak verdict changed, e.g. NONE to SUSPECTED. */
public record LeakAlert(LeakReport report, LeakReport.Verdict previous) implements Alert {
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
