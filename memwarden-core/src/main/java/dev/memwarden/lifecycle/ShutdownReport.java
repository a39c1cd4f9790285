package dev.memwarden.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What happened to each shutdown step, in the order they ran. */
public record ShutdownReport(Instant startedAt, Duration took, List<StepResult> steps) {
    public ShutdownReport {
        steps = List.copyOf(steps);
    }

    /** How one step ended. */
    public enum Outcome {
        COMPLETED,
        FAILED,
        /** It ran past its timeout and was abandoned (interrupted, left to a daemon thread). */
        TIMED_OUT,
        /** The overall deadline had passed before its turn came. */
        SKIPPED
    }

    /**
     * One step's outcome.
     *
     * @param error the failure's type and message, for FAILED
     */
    public record StepResult(Phase phase, String name, Duration took, Outcome outcome, @Nullable String error) {}

    /** True when every step completed. */
    public boolean clean() {
        return steps.stream().allMatch(s -> s.outcome() == Outcome.COMPLETED);
    }

    /** A table for the log: one line per step. */
    public String describe() {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "shutdown %s in %d ms:%n",
                clean() ? "completed" : "finished with problems",
                took.toMillis()));
        for (StepResult step : steps) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-15s %-30s %-9s %6d ms%s%n",
                    step.phase(),
                    step.name(),
                    step.outcome(),
                    step.took().toMillis(),
                    step.error() == null ? "" : "  " + step.error()));
        }
        return out.toString();
    }
}
