package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A check never waits behind the evidence another thread gathers. */
class LeakDetectorThreadingTest {
    @Test
    void aCheckConcludesWhileAnotherThreadTakesAHistogram() throws Exception {
        TimelineScript script = new TimelineScript();
        List<Integer> sessions = new ArrayList<>();
        script.registry.watch("sessions", sessions);
        for (int s = 0; s < 600; s++) {
            sessions.add(s);
            script.run(1);
        }
        CountDownLatch inHistogram = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HistogramSource slowFullGc = at -> {
            inHistogram.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new GcClassHistogram(at, Map.of());
        };
        LeakDetector detector = new LeakDetector(
                script.timeline, script.registry, Duration.ofMinutes(10), 12, slowFullGc, Duration.ofMinutes(1), null);

        // Threads of its own: the common pool may have a single thread, which the held histogram would occupy.
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<LeakReport> gathering = threads.submit(() -> detector.check(script.last()));
            assertThat(inHistogram.await(30, TimeUnit.SECONDS)).isTrue();

            LeakReport meanwhile =
                    threads.submit(() -> detector.check(script.last())).get(30, TimeUnit.SECONDS);
            assertThat(gathering).isNotDone();
            assertThat(meanwhile.suspects())
                    .extracting(LeakReport.Suspect::name)
                    .contains("sessions");
            // The sampler asks on every sample whether a check is due: that must not wait either.
            threads.submit(() -> detector.dueEarly(script.last())).get(30, TimeUnit.SECONDS);

            release.countDown();
            assertThat(gathering.get(30, TimeUnit.SECONDS).verdict()).isEqualTo(LeakReport.Verdict.SUSPECTED);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(detector.history()).hasSize(2);
    }
}
