package dev.memwarden.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Shuts a service down in ordered {@link Phase}s within an overall deadline. Each step has its own timeout and
 * runs on its own daemon thread, so a step that hangs is abandoned at its timeout (and interrupted) while the
 * rest still run; once the deadline has passed, the remaining steps are skipped. Every step runs at most once:
 * {@link #shutdown()} called again, or from a second thread, returns the first call's report. The report is
 * logged at the end.
 *
 * <pre>{@code
 * ShutdownCoordinator shutdown = ShutdownCoordinator.builder().deadline(Duration.ofSeconds(20)).build();
 * shutdown.step(Phase.STOP_ACCEPTING, "http server", () -> server.stop(0));
 * shutdown.step(Phase.CLOSE_CLIENTS, "sse clients", Duration.ofSeconds(2), clients::close);
 * shutdown.installShutdownHook();
 * }</pre>
 */
public final class ShutdownCoordinator {
    private static final System.Logger LOG = System.getLogger(ShutdownCoordinator.class.getName());

    /** A shutdown action; it may throw, and should respond to interruption. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private record Registered(Phase phase, int order, String name, Duration timeout, Step action) {}

    private final Duration deadline;
    private final Duration defaultTimeout;
    private final @Nullable Consumer<Report> reportTo;
    private final List<Registered> steps = new ArrayList<>();
    private final CompletableFuture<Report> report = new CompletableFuture<>();
    private boolean started;
    private @Nullable Thread hook;

    private ShutdownCoordinator(Builder builder) {
        this.deadline = builder.deadline;
        this.defaultTimeout = builder.defaultTimeout;
        this.reportTo = builder.reportTo;
    }

    public static Builder builder() {
        return new Builder();
    }

    public void step(Phase phase, String name, Step action) {
        step(phase, name, defaultTimeout, action);
    }

    /**
     * Adds a step.
     *
     * @throws IllegalStateException once shutdown has begun
     */
    public synchronized void step(Phase phase, String name, Duration timeout, Step action) {
        if (started) {
            throw new IllegalStateException("shutdown has begun; step '" + name + "' comes too late");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("step '" + name + "': the timeout must be positive, not " + timeout);
        }
        steps.add(new Registered(phase, steps.size(), name, timeout, action));
    }

    /** Runs every step once, in phase order, within the deadline; returns (and logs) the report. */
    public Report shutdown() {
        return shutdown(false);
    }

    private Report shutdown(boolean fromHook) {
        List<Registered> toRun;
        synchronized (this) {
            if (started) {
                toRun = null;
            } else {
                started = true;
                toRun = new ArrayList<>(steps);
            }
        }
        if (toRun == null) {
            return awaitReport();
        }
        toRun.sort(Comparator.comparing(Registered::phase).thenComparingInt(Registered::order));
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        long deadlineNanos = start + deadline.toNanos();
        List<Report.StepResult> results = new ArrayList<>();
        for (Registered step : toRun) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                results.add(
                        new Report.StepResult(step.phase(), step.name(), Duration.ZERO, Report.Outcome.SKIPPED, null));
                continue;
            }
            results.add(run(step, Math.min(remaining, step.timeout().toNanos())));
        }
        Report done = new Report(startedAt, Duration.ofNanos(System.nanoTime() - start), results);
        publish(done, fromHook);
        report.complete(done);
        return done;
    }

    private void publish(Report done, boolean fromHook) {
        Consumer<Report> custom = reportTo;
        if (custom != null) {
            try {
                custom.accept(done);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the shutdown report consumer failed", e);
            }
            return;
        }
        LOG.log(done.clean() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, done.describe());
        if (fromHook) {
            // java.util.logging resets itself in a shutdown hook of its own, racing this one, so the line above
            // may be lost; stderr is still open.
            System.err.print("memwarden " + done.describe());
            System.err.flush();
        }
    }

    private Report.StepResult run(Registered step, long timeoutNanos) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        Thread worker = new Thread(
                () -> {
                    try {
                        step.action().run();
                        outcome.complete(null);
                    } catch (Throwable t) {
                        // Whatever a step throws is reported in its row; the next steps still run.
                        outcome.completeExceptionally(t);
                    }
                },
                "memwarden-shutdown-" + step.name());
        worker.setDaemon(true);
        long start = System.nanoTime();
        worker.start();
        try {
            outcome.get(timeoutNanos, TimeUnit.NANOSECONDS);
            return result(step, start, Report.Outcome.COMPLETED, null);
        } catch (TimeoutException e) {
            worker.interrupt();
            return result(step, start, Report.Outcome.TIMED_OUT, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return result(
                    step, start, Report.Outcome.FAILED, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
            return result(step, start, Report.Outcome.TIMED_OUT, "shutdown itself was interrupted");
        }
    }

    private static Report.StepResult result(
            Registered step, long startNanos, Report.Outcome outcome, @Nullable String error) {
        return new Report.StepResult(
                step.phase(), step.name(), Duration.ofNanos(System.nanoTime() - startNanos), outcome, error);
    }

    private Report awaitReport() {
        try {
            return report.get(deadline.toNanos() + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the shutdown in progress", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the shutdown in progress did not finish within its deadline", e);
        }
    }

    /** Runs {@link #shutdown()} when the JVM exits (SIGTERM, System.exit); the only JVM-wide thing this adds. */
    public synchronized void installShutdownHook() {
        if (hook == null) {
            Thread thread = new Thread(() -> shutdown(true), "memwarden-shutdown");
            Runtime.getRuntime().addShutdownHook(thread);
            hook = thread;
        }
    }

    /** Takes the hook back, e.g. when the service is shut down by other means. */
    public synchronized void removeShutdownHook() {
        Thread thread = hook;
        if (thread != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or has run: nothing to take back.
            }
            hook = null;
        }
    }

    /** Settings: the overall deadline (default 30 s) and the timeout of steps that name none (default 10 s). */
    public static final class Builder {
        private Duration deadline = Duration.ofSeconds(30);
        private Duration defaultTimeout = Duration.ofSeconds(10);
        private @Nullable Consumer<Report> reportTo;

        private Builder() {}

        /**
         * Where the report goes instead of the log (by default it is logged, and also printed to stderr when the
         * shutdown hook runs it, since the JDK's logging may already be closed by then).
         */
        public Builder reportTo(Consumer<Report> consumer) {
            this.reportTo = consumer;
            return this;
        }

        public Builder deadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("the shutdown deadline must be positive, not " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        public Builder defaultStepTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the step timeout must be positive, not " + timeout);
            }
            this.defaultTimeout = timeout;
            return this;
        }

        public ShutdownCoordinator build() {
            return new ShutdownCoordinator(this);
        }
    }

    /** The order a service shuts down in; steps of one phase run in the order they were added. */
    public enum Phase {
        /** Stop taking new work: close listening sockets, refuse new clients. */
        STOP_ACCEPTING,
        /** Let work in flight finish: drain queues, wait for requests. */
        DRAIN,
        /** Say goodbye to connected clients: complete SSE streams, close WebSockets. */
        CLOSE_CLIENTS,
        /** Cancel timers and maintenance tasks. */
        STOP_TIMERS,
        /** Write out what is buffered: logs, metrics, spill files. */
        FLUSH,
        /** Release connections, pools, files, native handles. */
        CLOSE_RESOURCES
    }

    /** What happened to each shutdown step, in the order they ran. */
    public record Report(Instant startedAt, Duration took, List<StepResult> steps) {
        public Report {
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
}
