package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.bounded.RingBuffer;
import dev.memwarden.leak.LeakReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer 3 alone: structures sampled a second apart over a 10-minute window in 12 slices. */
class StructureTrendsTest {
    private static final long WINDOW = 600_000;

    private final TimelineScript script = new TimelineScript();

    private StructureTrends trends() {
        return new StructureTrends(script.registry, script.slicer(12), WINDOW);
    }

    private List<LeakReport.Suspect> suspects() {
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        trends().suspects(script.lastMillis() - WINDOW, script.lastMillis(), suspects);
        return suspects;
    }

    /** Runs {@code seconds} samples, calling {@code each} before every one. */
    private void run(int seconds, Runnable each) {
        for (int s = 0; s < seconds; s++) {
            each.run();
            script.run(1);
        }
    }

    @Test
    void aWatchedListThatOnlyGrowsIsNamedWithItsGrowth() {
        List<Integer> sessions = new ArrayList<>();
        script.registry.watch("sessions", sessions);
        run(600, () -> sessions.add(sessions.size()));

        List<LeakReport.Suspect> suspects = suspects();
        assertThat(suspects).extracting(LeakReport.Suspect::name).containsExactly("sessions");
        LeakReport.Suspect suspect = suspects.get(0);
        assertThat(suspect.kind()).isEqualTo(LeakReport.Kind.RESOURCE);
        assertThat(suspect.growthCountPerHour()).isBetween(3000.0, 4200.0);
        assertThat(suspect.nextStep()).contains("nothing bounds it");
    }

    @Test
    void aStructureThatHoldsItsOwnBoundIsNeverASuspectButExplainsARise() {
        RingBuffer<String> recent = RingBuffer.builder()
                .name("recent")
                .capacity(1000)
                .registry(script.registry)
                .build();
        run(600, () -> recent.add("entry"));

        assertThat(suspects()).isEmpty();
        long to = script.lastMillis();
        assertThat(trends().boundedStructureExplains(to - 300_000, to, 50 << 20))
                .as("it grew by far more than a tenth of its capacity")
                .isTrue();
    }

    @Test
    void aBoundedStructureThatFilledBeforeTheSpanExplainsNothing() {
        RingBuffer<String> recent = RingBuffer.builder()
                .name("recent")
                .capacity(100)
                .registry(script.registry)
                .build();
        run(600, () -> recent.add("entry"));

        long to = script.lastMillis();
        assertThat(trends().boundedStructureExplains(to - 300_000, to, 50 << 20))
                .isFalse();
    }
}
