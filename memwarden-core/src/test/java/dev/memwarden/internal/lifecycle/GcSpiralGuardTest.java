package dev.memwarden.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcSpiralGuardTest {
    @TempDir
    Path temp;

    private final List<Integer> exits = new ArrayList<>();

    private GcSpiralGuard guard() {
        return new GcSpiralGuard(Duration.ofSeconds(30), 5, temp, null, 137, exits::add);
    }

    @Test
    void aBusyButHealthyJvmNeverFillsTheBucket() {
        GcSpiralGuard guard = guard();
        long gc = 0;
        // 15 % of every second in GC, for a day: under the 1/6 that weight 5 pays back.
        for (long t = 0; t <= 86_400_000L; t += 1000) {
            assertThat(guard.observe(t, gc)).isFalse();
            gc += 150;
        }
        assertThat(guard.deficitMillis()).isZero();
        assertThat(exits).isEmpty();
    }

    @Test
    void aSpiralEndsTheJvmOnceTheDeficitPassesTheLimit() {
        GcSpiralGuard guard = guard();
        long gc = 0;
        long t = 0;
        int seconds = 0;
        // 90 % of every second in GC: the deficit grows by 900 - 100/5 = 880 ms a second.
        while (!guard.observe(t, gc)) {
            t += 1000;
            gc += 900;
            seconds++;
        }
        assertThat(seconds).isEqualTo(35); // 30 000 / 880, rounded up
        assertThat(exits).containsExactly(137);
        // Once fired, it stays fired and does not exit twice.
        assertThat(guard.observe(t + 1000, gc + 900)).isTrue();
        assertThat(exits).hasSize(1);
    }

    @Test
    void aBurstIsPaidBackByRunning() {
        GcSpiralGuard guard = guard();
        guard.observe(0, 0);
        guard.observe(20_000, 20_000); // 20 s of back-to-back GC, under the limit
        assertThat(guard.deficitMillis()).isEqualTo(20_000);
        guard.observe(120_000, 20_000); // then 100 s of running pays back 20 s
        assertThat(guard.deficitMillis()).isZero();
        assertThat(exits).isEmpty();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new GcSpiralGuard(Duration.ZERO, 5, temp, null, 1, exits::add))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new GcSpiralGuard(Duration.ofSeconds(1), 0.5, temp, null, 1, exits::add))
                .hasMessageContaining("1 to 100");
    }
}
