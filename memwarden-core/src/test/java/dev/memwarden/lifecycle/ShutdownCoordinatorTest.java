package dev.memwarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownCoordinatorTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void aHangingStepIsAbandonedAtItsTimeoutAndTheRestRunWithinTheDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        ShutdownCoordinator shutdown =
                ShutdownCoordinator.builder().deadline(Duration.ofSeconds(5)).build();
        shutdown.step(ShutdownCoordinator.Phase.STOP_ACCEPTING, "server", () -> ran.add("server"));
        shutdown.step(ShutdownCoordinator.Phase.DRAIN, "stuck drain", Duration.ofMillis(300), never::await);
        shutdown.step(ShutdownCoordinator.Phase.CLOSE_CLIENTS, "clients", () -> ran.add("clients"));
        shutdown.step(ShutdownCoordinator.Phase.CLOSE_RESOURCES, "pool", () -> ran.add("pool"));

        ShutdownCoordinator.Report report = shutdown.shutdown();

        assertThat(ran).containsExactly("server", "clients", "pool");
        assertThat(report.steps())
                .extracting(ShutdownCoordinator.Report.StepResult::outcome)
                .containsExactly(
                        ShutdownCoordinator.Report.Outcome.COMPLETED,
                        ShutdownCoordinator.Report.Outcome.TIMED_OUT,
                        ShutdownCoordinator.Report.Outcome.COMPLETED,
                        ShutdownCoordinator.Report.Outcome.COMPLETED);
        assertThat(report.steps().get(1).took()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(report.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(report.clean()).isFalse();
        assertThat(report.describe()).contains("stuck drain").contains("TIMED_OUT");
    }

    @Test
    void stepsRunInPhaseOrderWhateverTheOrderTheyWereAdded() {
        ShutdownCoordinator shutdown = ShutdownCoordinator.builder().build();
        shutdown.step(ShutdownCoordinator.Phase.CLOSE_RESOURCES, "db", () -> ran.add("db"));
        shutdown.step(ShutdownCoordinator.Phase.FLUSH, "metrics", () -> ran.add("metrics"));
        shutdown.step(ShutdownCoordinator.Phase.STOP_TIMERS, "timers", () -> ran.add("timers"));
        shutdown.step(ShutdownCoordinator.Phase.STOP_ACCEPTING, "http", () -> ran.add("http"));
        shutdown.step(ShutdownCoordinator.Phase.FLUSH, "logs", () -> ran.add("logs"));

        assertThat(shutdown.shutdown().clean()).isTrue();
        assertThat(ran).containsExactly("http", "timers", "metrics", "logs", "db");
    }

    @Test
    void eachStepRunsOnceEvenWhenShutdownIsCalledFromTwoThreads() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShutdownCoordinator shutdown = ShutdownCoordinator.builder().build();
        shutdown.step(ShutdownCoordinator.Phase.FLUSH, "flush", () -> {
            runs.incrementAndGet();
            inStep.countDown();
            release.await();
        });

        CompletableFuture<ShutdownCoordinator.Report> first = CompletableFuture.supplyAsync(shutdown::shutdown);
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ShutdownCoordinator.Report> second = CompletableFuture.supplyAsync(shutdown::shutdown);
        release.countDown();

        assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
        assertThat(shutdown.shutdown()).isSameAs(first.get());
        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> shutdown.step(ShutdownCoordinator.Phase.FLUSH, "late", () -> {}))
                .hasMessageContaining("shutdown has begun");
    }

    @Test
    void aFailingStepIsReportedAndTheNextStillRun() {
        ShutdownCoordinator shutdown = ShutdownCoordinator.builder().build();
        shutdown.step(ShutdownCoordinator.Phase.FLUSH, "flush", () -> {
            throw new java.io.IOException("disk full");
        });
        shutdown.step(ShutdownCoordinator.Phase.CLOSE_RESOURCES, "close", () -> ran.add("close"));

        ShutdownCoordinator.Report report = shutdown.shutdown();

        assertThat(report.steps().get(0).outcome()).isEqualTo(ShutdownCoordinator.Report.Outcome.FAILED);
        assertThat(report.steps().get(0).error()).isEqualTo("IOException: disk full");
        assertThat(ran).containsExactly("close");
    }

    @Test
    void theReportCanGoElsewhereThanTheLog() {
        List<ShutdownCoordinator.Report> reports = new CopyOnWriteArrayList<>();
        ShutdownCoordinator shutdown =
                ShutdownCoordinator.builder().reportTo(reports::add).build();
        shutdown.step(ShutdownCoordinator.Phase.FLUSH, "flush", () -> {});
        ShutdownCoordinator.Report report = shutdown.shutdown();
        assertThat(reports).containsExactly(report);
    }

    @Test
    void stepsLeftWhenTheDeadlineHasPassedAreSkipped() {
        CountDownLatch never = new CountDownLatch(1);
        ShutdownCoordinator shutdown =
                ShutdownCoordinator.builder().deadline(Duration.ofMillis(400)).build();
        shutdown.step(ShutdownCoordinator.Phase.DRAIN, "slow", Duration.ofSeconds(30), never::await);
        shutdown.step(ShutdownCoordinator.Phase.CLOSE_RESOURCES, "after", () -> ran.add("after"));

        ShutdownCoordinator.Report report = shutdown.shutdown();

        assertThat(report.steps())
                .extracting(ShutdownCoordinator.Report.StepResult::outcome)
                .containsExactly(
                        ShutdownCoordinator.Report.Outcome.TIMED_OUT, ShutdownCoordinator.Report.Outcome.SKIPPED);
        assertThat(report.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(ran).isEmpty();
    }
}
