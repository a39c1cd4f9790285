package dev.memwarden.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.health.HealthTransition;
import dev.memwarden.health.Level;
import dev.memwarden.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LogAlertSinkTest {
    private final ManualClock clock = ManualClock.at2026();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private final System.Logger logger = new System.Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    };

    private Alert flap(String rule, dev.memwarden.health.Level from, dev.memwarden.health.Level to) {
        return new HealthAlert(new HealthTransition(clock.instant(), rule, from, to, 0.8, to, "reason"));
    }

    @Test
    void aFlappingRuleLogsOncePerIntervalAndSaysHowManyWereSuppressed() {
        LogAlertSink sink = new LogAlertSink(logger, Duration.ofMinutes(1), clock);

        for (int i = 0; i < 50; i++) {
            sink.accept(flap("heap.live", dev.memwarden.health.Level.OK, dev.memwarden.health.Level.WARN));
            sink.accept(flap("heap.live", dev.memwarden.health.Level.WARN, dev.memwarden.health.Level.OK));
            clock.advance(Duration.ofSeconds(1));
        }
        // Another rule is limited on its own.
        sink.accept(flap("fds", dev.memwarden.health.Level.OK, dev.memwarden.health.Level.CRITICAL));
        clock.advance(Duration.ofSeconds(15));
        sink.accept(flap("heap.live", dev.memwarden.health.Level.OK, dev.memwarden.health.Level.CRITICAL));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("WARNING memwarden: heap.live OK -> WARN");
        assertThat(lines.get(1)).startsWith("ERROR memwarden: fds OK -> CRITICAL");
        assertThat(lines.get(2))
                .startsWith("ERROR memwarden: heap.live OK -> CRITICAL")
                .endsWith("(99 similar suppressed)");
    }
}
