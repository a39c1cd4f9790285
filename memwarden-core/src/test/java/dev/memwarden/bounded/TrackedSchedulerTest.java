package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrackedSchedulerTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void countsLiveTimersByNameAndForgetsFinishedOnes() {
        TrackedScheduler scheduler = TrackedScheduler.builder(executor).build();
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 5; i++) {
            scheduler.schedule("session-timeout", () -> {}, Duration.ofHours(1));
        }
        scheduler.schedule("flush", release::countDown, Duration.ZERO);

        assertThat(scheduler.liveTimers("session-timeout")).isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.liveTimers("flush") == 0);
        assertThat(scheduler.liveTimers()).containsOnlyKeys("session-timeout");
        assertThat(scheduler.describe().size()).isEqualTo(5);
    }

    @Test
    void warnsPastTheThresholdWithWhereTheTimerWasScheduled() {
        TrackedScheduler scheduler =
                TrackedScheduler.builder(executor).name("calls").warnAbove(3).build();
        try (CapturedLog log = new CapturedLog(TrackedScheduler.class)) {
            for (int i = 0; i < 10; i++) {
                scheduleOnEveryCall(scheduler);
            }
            assertThat(log.records).hasSize(1);
            assertThat(log.records.get(0).getMessage()).contains("4 live timers named 'retry'");
            assertThat(Arrays.stream(log.records.get(0).getThrown().getStackTrace()))
                    .anyMatch(f -> f.getMethodName().equals("scheduleOnEveryCall"));
        }
        assertThat(scheduler.describe().growthSite().get(0))
                .matches("dev\\.memwarden\\.bounded\\.TrackedSchedulerTest\\.scheduleOnEveryCall:\\d+");
    }

    private static void scheduleOnEveryCall(TrackedScheduler scheduler) {
        scheduler.schedule("retry", () -> {}, Duration.ofHours(1));
    }

    @Test
    void timersCancelledBelowTheThresholdNeverWarn() {
        TrackedScheduler scheduler =
                TrackedScheduler.builder(executor).warnAbove(3).build();
        try (CapturedLog log = new CapturedLog(TrackedScheduler.class)) {
            List<ScheduledFuture<?>> live = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                live.add(scheduler.schedule("request-timeout", () -> {}, Duration.ofHours(1)));
                if (live.size() == 3) {
                    live.remove(0).cancel(false);
                }
            }
            assertThat(log.records).isEmpty();
            assertThat(scheduler.liveTimers("request-timeout")).isEqualTo(2);
        }
    }

    @Test
    void doneTimersAreDroppedSoTrackingHoldsAtMostTwiceTheLiveOnesAndABatch() {
        TrackedScheduler scheduler =
                TrackedScheduler.builder(executor).warnAbove(100_000).build();
        int deepest = 0;
        for (int i = 0; i < 100_000; i++) {
            assertThat(scheduler
                            .schedule("cancelled", () -> {}, Duration.ofHours(1))
                            .cancel(false))
                    .isTrue();
            if (i % 10 == 0) {
                var unused = scheduler.schedule("kept", () -> {}, Duration.ofHours(1)); // 10,000 by the end
            }
            if (i % 1_000 == 999) {
                deepest = Math.max(deepest, scheduler.stackDepth() - scheduler.liveTimers("kept"));
            }
        }
        // Done timers wait for the next walk, which comes once as many were scheduled as the last walk kept.
        assertThat(deepest).isLessThanOrEqualTo(10_000 + TrackedScheduler.MIN_WALK_INTERVAL);
        assertThat(scheduler.liveTimers("kept")).isEqualTo(10_000);
        assertThat(scheduler.stackDepth()).isLessThanOrEqualTo(10_001); // the walk just now kept the live ones
        assertThat(scheduler.describe().counter("cancelled")).isEqualTo(100_000);
    }

    @Test
    void namesBuiltFromIdsAreCountedTogetherPastTheNameBound() {
        TrackedScheduler scheduler =
                TrackedScheduler.builder(executor).maxNames(10).build();
        for (int session = 0; session < 1000; session++) {
            scheduler.schedule("timeout-" + session, () -> {}, Duration.ofHours(1));
        }
        assertThat(scheduler.liveTimers()).hasSize(10 + 1); // ten names and (other)
        assertThat(scheduler.liveTimers(TrackedScheduler.OTHER)).isEqualTo(990);
        assertThat(scheduler.describe().size()).isEqualTo(1000);
    }

    @Test
    void cancelAllCancelsEveryTimer() {
        TrackedScheduler scheduler = TrackedScheduler.builder(executor).build();
        ScheduledFuture<?> one = scheduler.schedule("a", () -> {}, Duration.ofHours(1));
        ScheduledFuture<?> periodic =
                scheduler.scheduleAtFixedRate("b", () -> {}, Duration.ofHours(1), Duration.ofHours(1));

        assertThat(scheduler.cancelAll()).isEqualTo(2);

        assertThat(one.isCancelled()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(scheduler.liveTimers()).isEmpty();
        assertThat(scheduler.describe().counter("cancelled")).isEqualTo(2);
    }

    @Test
    void aFailingMaintenanceTaskKeepsItsScheduleAndReportsRuns() {
        TrackedScheduler scheduler = TrackedScheduler.builder(executor).build();
        AtomicInteger runs = new AtomicInteger();
        scheduler.maintenance("trim-sessions", Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("trim failed");
            }
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> scheduler.maintenanceStats("trim-sessions").runs() >= 6);

        TrackedScheduler.MaintenanceStats stats = scheduler.maintenanceStats("trim-sessions");
        assertThat(stats.failures()).isBetween(3L, stats.runs());
        assertThat(stats.lastRun()).isNotNull();
        assertThat(scheduler.liveTimers("maintenance:trim-sessions")).isEqualTo(1);
        scheduler.close();
        assertThat(scheduler.liveTimers()).isEmpty();
    }

    @Test
    void concurrentSchedulingAndCancellingKeepsTheCountsRight() throws Exception {
        TrackedScheduler scheduler =
                TrackedScheduler.builder(executor).warnAbove(100_000).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                int kept = 0;
                for (int i = 0; i < 2_000; i++) {
                    ScheduledFuture<?> f = scheduler.schedule("per-request", () -> {}, Duration.ofHours(1));
                    if (i % 2 == 0) {
                        f.cancel(false);
                    } else {
                        kept++;
                    }
                }
                return kept;
            }));
        }
        int kept = 0;
        for (Future<Integer> f : futures) {
            kept += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(scheduler.liveTimers("per-request")).isEqualTo(kept).isEqualTo(8_000);
        assertThat(scheduler.describe().counter("scheduled")).isEqualTo(16_000);
        assertThat(scheduler.cancelAll()).isEqualTo(8_000);
    }
}
