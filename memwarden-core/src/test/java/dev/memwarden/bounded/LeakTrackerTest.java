package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeakTrackerTest {
    /** A stand-in for a connection. */
    static final class Connection implements AutoCloseable {
        private final LeakTracker.Handle handle;

        Connection(LeakTracker<Connection> tracker) {
            this.handle = tracker.track(this);
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    @Test
    void aResourceCollectedUnclosedIsReportedWithWhereItWasCreated() {
        LeakTracker<Connection> tracker = LeakTracker.builder()
                .name("db")
                .level(LeakTracker.Level.PARANOID)
                .build();
        try (CapturedLog log = new CapturedLog(LeakTracker.class)) {
            openAndForget(tracker);
            try (Connection fine = new Connection(tracker)) {
                assertThat(fine).isNotNull();
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc();
                return tracker.leakCount() == 1;
            });

            LeakTracker.Leak leak = tracker.leaks().get(0);
            assertThat(leak.type()).isEqualTo(Connection.class.getName());
            assertThat(leak.createdAt()).anyMatch(frame -> frame.contains("openAndForget"));
            assertThat(leak.describe()).startsWith("LEAK: a " + Connection.class.getName());
            assertThat(log.records).hasSize(1);
            assertThat(log.records.get(0).getMessage()).contains("openAndForget");
        }
        assertThat(tracker.describe().counter("leaked")).isEqualTo(1);
    }

    private static void openAndForget(LeakTracker<Connection> tracker) {
        new Connection(tracker);
    }

    @Test
    void closedResourcesAreNeverReported() {
        LeakTracker<Connection> tracker =
                LeakTracker.builder().level(LeakTracker.Level.PARANOID).build();
        for (int i = 0; i < 1000; i++) {
            new Connection(tracker).close();
        }
        System.gc();
        assertThat(tracker.drain()).isZero();
        assertThat(tracker.describe().size()).isZero();
    }

    @Test
    void samplingTracksOneInNAndTheTrackedSetIsBounded() {
        LeakTracker<Object> sampled =
                LeakTracker.builder().samplingInterval(100).build();
        Object[] kept = new Object[10_000];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = new Object();
            sampled.track(kept[i]);
        }
        assertThat(sampled.describe().counter("tracked")).isEqualTo(100);

        LeakTracker<Object> bounded = LeakTracker.builder()
                .level(LeakTracker.Level.PARANOID)
                .maxTracked(500)
                .build();
        for (Object o : kept) {
            bounded.track(o);
        }
        Tracked.State d = bounded.describe();
        assertThat(d.size()).isEqualTo(500);
        assertThat(d.counter("untracked")).isEqualTo(kept.length - 500);
    }

    @Test
    void disabledTracksNothing() {
        LeakTracker<Object> tracker =
                LeakTracker.builder().level(LeakTracker.Level.DISABLED).build();
        for (int i = 0; i < 1000; i++) {
            tracker.track(new Object());
        }
        assertThat(tracker.describe().counter("tracked")).isZero();
        assertThat(tracker.describe().counter("created")).isEqualTo(1000);
    }

    @Test
    void concurrentTrackingAndClosingReportsNoFalseLeaks() throws Exception {
        LeakTracker<Connection> tracker =
                LeakTracker.builder().level(LeakTracker.Level.PARANOID).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    try (Connection c = new Connection(tracker)) {
                        assertThat(c).isNotNull();
                    }
                    if (i % 1000 == 0) {
                        System.gc();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        System.gc();
        assertThat(tracker.drain()).isZero();
        assertThat(tracker.leakCount()).isZero();
        assertThat(tracker.describe().counter("tracked")).isEqualTo(80_000);
        assertThat(tracker.describe().size()).isZero();
    }
}
