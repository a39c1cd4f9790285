package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads a real child JVM started with known limits and holding a known state. */
class MemorySamplerIT {
    private static final double MIB = 1 << 20;
    private static final Map<String, String> values = new HashMap<>();

    @BeforeAll
    static void runProbe() throws IOException, InterruptedException {
        String output = ChildJvm.of(SamplerProbe.class)
                .options("-XX:+UseG1GC", "-Xmx96m", "-XX:MaxDirectMemorySize=48m", "-XX:MaxMetaspaceSize=128m")
                .timeout(Duration.ofSeconds(60))
                .run()
                .expectExit(0)
                .output();
        output.lines().filter(l -> l.contains("=")).forEach(l -> {
            int eq = l.indexOf('=');
            values.put(l.substring(0, eq), l.substring(eq + 1));
        });
    }

    private static double value(String key) {
        assertThat(values).containsKey(key);
        return Double.parseDouble(values.get(key));
    }

    @Test
    void heapAndItsLimitsAreThoseTheJvmWasStartedWith() {
        assertThat(value("heap.max")).isEqualTo(96 * MIB);
        assertThat(value("heap.used")).isPositive().isLessThanOrEqualTo(value("heap.committed"));
        assertThat(value("heap.live")).isPositive().isLessThan(96 * MIB);
        assertThat(value("metaspace.max")).isEqualTo(128 * MIB);
        assertThat(value("metaspace.used")).isPositive();
        assertThat(value("codecache.used")).isPositive();
        assertThat(values.get("pools")).isNotEqualTo("0");
    }

    @Test
    void directBuffersAndTheirLimit() {
        assertThat(value("direct.max")).isEqualTo(48 * MIB);
        assertThat(value("direct.count")).isGreaterThanOrEqualTo(16);
        assertThat(value("direct.used")).isGreaterThanOrEqualTo(16 * MIB);
    }

    @Test
    void processFiguresFromProc() {
        assertThat(value("fds.open")).isGreaterThanOrEqualTo(50);
        assertThat(value("fds.max")).isGreaterThan(value("fds.open"));
        assertThat(value("threads.live")).isGreaterThanOrEqualTo(10);
        assertThat(value("threads.daemon")).isGreaterThanOrEqualTo(10);
        assertThat(value("classes.loaded")).isGreaterThan(500);
        // Direct buffers are resident once written... they are zeroed on allocation, so RSS covers them.
        assertThat(value("process.rss")).isGreaterThan(16 * MIB);
        assertThat(value("process.rss.peak")).isGreaterThanOrEqualTo(value("process.rss"));
        assertThat(value("process.rss.anon") + value("process.rss.file"))
                .isCloseTo(value("process.rss"), within(4 * MIB));
        assertThat(value("gc.count")).isGreaterThanOrEqualTo(2);
        assertThat(value("process.cpu.time")).isPositive();
        assertThat(value("uptime")).isPositive();
    }

    @Test
    void absentValuesAreAbsentNotZero() {
        // Outside a memory cgroup the container figures are absent (NaN), not 0; inside one they are real.
        if (values.get("container").equals("none")) {
            assertThat(values.get("container.used")).isEqualTo("NaN");
        } else {
            assertThat(value("container.used")).isPositive();
            assertThat(value("container.limit")).isPositive();
        }
    }
}
