package dev.memwarden.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.alert.Alert;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.testing.ManualClock;
import dev.memwarden.testing.RecordingLogger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogAlertSinkTest {
    private final ManualClock clock = ManualClock.at2026();
    private final RecordingLogger logger = new RecordingLogger();

    private Alert flap(String rule, Level from, Level to) {
        return new Alert.Health(new HealthStatus.Transition(clock.instant(), rule, from, to, 0.8, to, "reason"));
    }

    @Test
    void aFlappingRuleLogsOncePerIntervalAndSaysHowManyWereSuppressed() {
        LogAlertSink sink = new LogAlertSink(logger, Duration.ofMinutes(1), clock);

        for (int i = 0; i < 50; i++) {
            sink.accept(flap("heap.live", Level.OK, Level.WARN));
            sink.accept(flap("heap.live", Level.WARN, Level.OK));
            clock.advance(Duration.ofSeconds(1));
        }
        // Another rule is limited on its own.
        sink.accept(flap("fds", Level.OK, Level.CRITICAL));
        clock.advance(Duration.ofSeconds(15));
        sink.accept(flap("heap.live", Level.OK, Level.CRITICAL));

        assertThat(logger.lines()).hasSize(3);
        assertThat(logger.lines().get(0)).startsWith("WARNING memwarden: heap.live OK -> WARN");
        assertThat(logger.lines().get(1)).startsWith("ERROR memwarden: fds OK -> CRITICAL");
        assertThat(logger.lines().get(2))
                .startsWith("ERROR memwarden: heap.live OK -> CRITICAL")
                .endsWith("(99 similar suppressed)");
    }
}
