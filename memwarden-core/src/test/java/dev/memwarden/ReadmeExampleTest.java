package dev.memwarden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.alert.Alert;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's "Embed it" example, kept compiling and true. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRuns() {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        MemwardenConfig config = MemwardenConfig.builder()
                .set("memwarden.health.rss.warn.bytes", "150MB")
                .set("memwarden.health.rss.critical.bytes", "200MB")
                .build();

        try (Memwarden memwarden =
                Memwarden.builder().config(config).alertSink(alerts::add).start()) {
            MemorySnapshot now = memwarden.snapshot();
            assertThat(now.heap().max().isUnlimited()).isFalse();

            HealthStatus health = memwarden.health();
            assertThat(health.rule("rss.size")).isPresent();
            health.rules().forEach(rule -> assertThat(rule.reason()).isNotBlank());

            assertThat(memwarden
                            .timeline()
                            .latest(Metric.HEAP_USED, Duration.ofMinutes(10))
                            .points())
                    .isNotEmpty();

            assertThat(memwarden.leakReport().describe()).startsWith("leak verdict: NONE");
        }
    }
}
