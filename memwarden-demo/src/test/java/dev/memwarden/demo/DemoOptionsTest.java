package dev.memwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void defaultsAreTheSessionLeakForTwoMinutes() {
        DemoOptions options = DemoOptions.parse();

        assertThat(options.leak()).isEqualTo(Leak.SESSIONS);
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.port()).isZero();
        assertThat(options.plain()).isFalse();
        assertThat(options.serviceDefaults()).isFalse();
        assertThat(DemoOptions.parse("--defaults", "--plain").serviceDefaults()).isTrue();
    }

    @Test
    void everyLeakHasACommandLineName() {
        for (Leak leak : Leak.values()) {
            assertThat(DemoOptions.parse("--leak", leak.cliName()).leak()).isEqualTo(leak);
        }
        assertThat(Leak.SSE_CLIENTS.cliName()).isEqualTo("sse-clients");
    }

    @Test
    void durationsTakeAUnit() {
        assertThat(DemoOptions.parse("--duration", "2m").duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(DemoOptions.parse("--duration", "45s").duration()).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> DemoOptions.parse("--duration", "90"))
                .hasMessageContaining("--duration takes a number and a unit")
                .hasMessageContaining("'90'");
        assertThatThrownBy(() -> DemoOptions.parse("--duration", "2s")).hasMessageContaining("10s to 24h");
    }

    @Test
    void badInputIsNamedInTheError() {
        assertThatThrownBy(() -> DemoOptions.parse("--leak", "memory"))
                .hasMessageContaining("unknown leak 'memory'")
                .hasMessageContaining("sse-clients");
        assertThatThrownBy(() -> DemoOptions.parse("--leak")).hasMessage("--leak needs a value");
        assertThatThrownBy(() -> DemoOptions.parse("--port", "70000")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> DemoOptions.parse("--verbose")).hasMessage("unknown option '--verbose'");
    }
}
