package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ManualClock;
import dev.memwarden.testing.RecordingLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitedLoggerTest {
    private final ManualClock clock = ManualClock.at2026();
    private final RecordingLogger sink = new RecordingLogger();

    @Test
    void aBurstPassesThenOneLinePerRefillWithTheSuppressedCount() {
        RateLimitedLogger logger = RateLimitedLogger.builder(sink)
                .rate(3, Duration.ofSeconds(3))
                .clock(clock)
                .build();

        for (int i = 0; i < 10; i++) {
            logger.log("task", System.Logger.Level.WARNING, "failed " + i);
        }
        assertThat(sink.messages()).containsExactly("failed 0", "failed 1", "failed 2");

        clock.advance(Duration.ofSeconds(1)); // one token back
        logger.log("task", System.Logger.Level.WARNING, () -> "failed again", new IllegalStateException("boom"));

        assertThat(sink.messages()).last().isEqualTo("failed again (7 similar suppressed)");
        assertThat(sink.entries().get(3).thrown()).hasMessage("boom");
        assertThat(logger.totalSuppressed()).isEqualTo(7);
    }

    @Test
    void keysAreLimitedApartAndBounded() {
        RateLimitedLogger logger =
                RateLimitedLogger.builder(sink).maxKeys(16).clock(clock).build();
        for (int i = 0; i < 1000; i++) {
            logger.log("key-" + i, System.Logger.Level.INFO, "line " + i);
        }
        assertThat(sink.messages()).hasSize(1000);
        assertThat(logger.keys()).isEqualTo(16);
    }

    @Test
    void concurrentLoggersLetThroughNoMoreThanTheRateAndCountTheRest() throws Exception {
        RateLimitedLogger logger = RateLimitedLogger.builder(sink)
                .rate(5, Duration.ofMinutes(1))
                .clock(clock)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    logger.log("hot", System.Logger.Level.WARNING, "queue full");
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(sink.messages()).hasSize(5);
        assertThat(logger.totalSuppressed()).isEqualTo(80_000 - 5);
    }
}
