package dev.memwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The leak settings changed while memwarden runs: checked as at start, all or nothing. */
class LeakReconfigurationTest {
    @Test
    void anIntervalChangesAndTheOthersStay() {
        try (Memwarden memwarden = Memwarden.builder().start()) {
            Map<String, String> before = memwarden.leakSettings();

            Map<String, String> after = memwarden.configureLeaks(Map.of("memwarden.leak.interval", "30s"));

            assertThat(before)
                    .containsEntry("memwarden.leak.window", "1800s")
                    .containsEntry("memwarden.leak.interval", "60s");
            assertThat(after)
                    .containsEntry("memwarden.leak.interval", "30s")
                    .containsEntry("memwarden.leak.window", "1800s")
                    .containsEntry(
                            "memwarden.leak.histogram.interval", before.get("memwarden.leak.histogram.interval"));
        }
    }

    @Test
    void aNewWindowStartsTheDetectorAfresh() {
        try (Memwarden memwarden = Memwarden.builder().start()) {
            memwarden.checkLeaks();
            assertThat(memwarden.leakHistory()).isNotEmpty();

            memwarden.configureLeaks(
                    Map.of("memwarden.leak.window", "10m", "memwarden.leak.histogram.interval", "off"));

            assertThat(memwarden.leakHistory()).isEmpty();
            assertThat(memwarden.leakSettings())
                    .containsEntry("memwarden.leak.window", "600s")
                    .containsEntry("memwarden.leak.histogram.interval", "off");
            assertThat(memwarden.checkLeaks().verdict()).isNotNull();
        }
    }

    @Test
    void aBadSettingIsRefusedWithWhatIsAllowedAndNothingChanges() {
        try (Memwarden memwarden = Memwarden.builder().start()) {
            Map<String, String> before = memwarden.leakSettings();

            assertThatThrownBy(() -> memwarden.configureLeaks(Map.of("memwarden.sample.interval", "5s")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'memwarden.sample.interval' cannot be changed while memwarden runs")
                    .hasMessageContaining(
                            "memwarden.leak.window, memwarden.leak.interval, memwarden.leak.histogram.interval");
            assertThatThrownBy(() -> memwarden.configureLeaks(
                            Map.of("memwarden.leak.interval", "30s", "memwarden.leak.window", "forever")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("memwarden.leak.window")
                    .hasMessageContaining("a duration such as");
            assertThatThrownBy(() -> memwarden.configureLeaks(Map.of("memwarden.leak.window", "30s")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected 2m to 7d");
            assertThat(memwarden.leakSettings()).isEqualTo(before);
        }
    }
}
