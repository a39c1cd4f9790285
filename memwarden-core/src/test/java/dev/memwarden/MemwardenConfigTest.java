package dev.memwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memwarden.health.HealthRule;
import dev.memwarden.health.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemwardenConfigTest {
    @Test
    void defaultsMatchTheDocumentedRules() {
        MemwardenConfig config = MemwardenConfig.defaults();

        assertThat(config.sampleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.gcEvents()).isEqualTo(256);
        assertThat(config.webhookUrl()).isNull();
        assertThat(config.healthRules())
                .extracting(HealthRule::name)
                .containsExactly("heap.live", "rss.container", "gc.overhead", "direct", "metaspace", "fds");
        HealthRule heap = config.healthRules().get(0);
        assertThat(heap.thresholds())
                .containsExactly(
                        HealthRule.Threshold.warn(0.75, Duration.ofMinutes(2)),
                        HealthRule.Threshold.critical(0.85, Duration.ofMinutes(5)),
                        HealthRule.Threshold.critical(0.95, Duration.ofSeconds(30)));
    }

    @Test
    void everyKeyParsesFromText() {
        MemwardenConfig config = MemwardenConfig.fromProperties(Map.of(
                "memwarden.sample.interval", "250ms",
                "memwarden.timeline.tiers", "1s:5m,1m:1h",
                "memwarden.health.heap.warn", "70%",
                "memwarden.health.heap.severe", "off",
                "memwarden.health.rss.warn.bytes", "150MB",
                "memwarden.health.rss.critical.bytes", "200m",
                "memwarden.alert.webhook.url", "https://hooks.example.com/T000/B000/secret",
                "java.version", "ignored: not a memwarden key"));

        assertThat(config.sampleInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.timelineTiers()).hasSize(2);
        assertThat(config.healthRules().get(0).thresholds())
                .extracting(HealthRule.Threshold::value)
                .containsExactly(0.70, 0.85);
        HealthRule rssSize = config.healthRules().stream()
                .filter(r -> r.name().equals("rss.size"))
                .findFirst()
                .orElseThrow();
        assertThat(rssSize.thresholds())
                .extracting(HealthRule.Threshold::level)
                .containsExactly(Level.WARN, Level.CRITICAL);
        assertThat(rssSize.thresholds())
                .extracting(HealthRule.Threshold::value)
                .containsExactly(150.0 * (1 << 20), 200.0 * (1 << 20));
        assertThat(config.webhookUrl()).hasToString("https://hooks.example.com/T000/B000/secret");
    }

    @Test
    void environmentVariablesMapOntoTheSameKeys() {
        MemwardenConfig config = MemwardenConfig.fromEnvironment(Map.of("MEMWARDEN_GC_EVENTS", "64", "PATH", "/bin"));
        assertThat(config.gcEvents()).isEqualTo(64);
        assertThat(ConfigKey.SAMPLE_INTERVAL.environmentName()).isEqualTo("MEMWARDEN_SAMPLE_INTERVAL");
    }

    @Test
    void errorsNameTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.health.heap.warn", "1.5"))
                .hasMessage("memwarden.health.heap.warn: '1.5' is not allowed; expected a share above 0 and at most 1,"
                        + " such as 0.75 or 75%, or off");
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.sample.interval", "soon"))
                .hasMessageContaining("memwarden.sample.interval: 'soon'")
                .hasMessageContaining("500ms, 30s, 2m");
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.sample.interval", "10ms"))
                .hasMessageContaining("expected 100ms to 1h");
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.health.heap.wran", "0.7"))
                .hasMessageStartingWith("unknown configuration key 'memwarden.health.heap.wran'; known keys:")
                .hasMessageContaining("memwarden.health.heap.warn");
        assertThatThrownBy(() -> MemwardenConfig.builder()
                        .set("memwarden.health.heap.warn", "0.9")
                        .build())
                .hasMessage("memwarden.health.heap.critical (0.85) must be above memwarden.health.heap.warn (0.9)");
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.heapdump.oom", "auto"))
                .hasMessage("memwarden.heapdump.oom is on or off, not 'auto'");
        assertThat(MemwardenConfig.builder()
                        .set("memwarden.heapdump.oom", "on")
                        .build()
                        .heapDumpOnOutOfMemoryError())
                .isTrue();
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.timeline.tiers", "1s:10m,7s:1h"))
                .hasMessageContaining("memwarden.timeline.tiers: '7s:1h'")
                .hasMessageContaining("whole number of buckets");
    }

    @Test
    void aBadWebhookUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> MemwardenConfig.builder().set("memwarden.alert.webhook.url", "ftp://x/s3cr3t"))
                .hasMessageContaining("memwarden.alert.webhook.url")
                .message()
                .doesNotContain("s3cr3t");
    }

    @Test
    void everyKeyIsInTheConfigurationTable() throws IOException {
        Path readme = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(readme);
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(text)
                    .as("docs/configuration.md documents %s with its default and meaning", key.key())
                    .contains("| `" + key.key() + "` | `" + key.defaultValue() + "` | " + key.description() + " |");
        }
    }
}
