package dev.memwarden.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The budget of real JVMs started with known flags, with and without Native Memory Tracking. */
class MemoryBudgetIT {
    private static String run(String... flags) throws Exception {
        return ChildJvm.of(BudgetProbe.class)
                .options(flags)
                .timeout(Duration.ofSeconds(60))
                .run()
                .expectExit(0)
                .output();
    }

    @Test
    void readsTheFlagsOfTheRunningJvm() throws Exception {
        String output = run(
                "-Xmx128m", "-XX:MaxMetaspaceSize=96m", "-XX:MaxDirectMemorySize=32m", "-XX:ReservedCodeCacheSize=40m");
        assertThat(output).containsPattern("heap\\s+128 MiB");
        assertThat(output).containsPattern("metaspace\\s+96 MiB\\s+-XX:MaxMetaspaceSize");
        assertThat(output).containsPattern("direct memory\\s+32 MiB");
        assertThat(output).containsPattern("code cache\\s+40 MiB");
        assertThat(output).doesNotContain("MaxDirectMemorySize is unset");
    }

    @Test
    void usesNativeMemoryTrackingWhenItIsOn() throws Exception {
        String output = run("-Xmx128m", "-XX:NativeMemoryTracking=summary");
        assertThat(output).contains("native figures from Native Memory Tracking");
        assertThat(output).containsPattern("GC structures\\s+\\d+ [MK]iB\\s+NMT");
        assertThat(output).containsPattern("thread stacks\\s+\\d+ [MK]iB\\s+NMT");
        assertThat(output).contains("MaxDirectMemorySize is unset");
        // Not set on the command line, so not reported as if it were.
        assertThat(output).containsPattern("code cache\\s+\\d+ MiB\\s+NMT");
    }
}
