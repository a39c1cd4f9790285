package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OwnClassLoadsTest {
    @Test
    void countsWhatAnActionLoadsAtItsTime() {
        long[] total = {5000};
        OwnClassLoads own = new OwnClassLoads(() -> total[0]);
        String result = own.during(Instant.ofEpochMilli(1000), () -> {
            total[0] += 300;
            return "histogram";
        });

        assertThat(result).isEqualTo("histogram");
        assertThat(own.any()).isTrue();
        assertThat(own.loadedBefore(1000))
                .as("a load counts after its check's sample")
                .isZero();
        assertThat(own.loadedBefore(1001)).isEqualTo(300);
    }

    @Test
    void anActionThatLoadsNothingLeavesNoEntry() {
        OwnClassLoads own = new OwnClassLoads(() -> 7);
        own.during(Instant.EPOCH, () -> "nothing");
        assertThat(own.any()).isFalse();
    }

    @Test
    void pastItsCapacityTheOldestLoadsMergeAndNoneIsLost() {
        OwnClassLoads own = new OwnClassLoads(() -> 0);
        for (int i = 0; i < 3 * OwnClassLoads.KEPT; i++) {
            own.note(Instant.ofEpochMilli(i * 1000L), 10);
        }
        assertThat(own.loadedBefore(Long.MAX_VALUE)).isEqualTo(30L * OwnClassLoads.KEPT);
        // The oldest entry holds every merged load, at the time of the latest of them.
        long oldestKept = (2L * OwnClassLoads.KEPT) * 1000;
        assertThat(own.loadedBefore(oldestKept)).isZero();
        assertThat(own.loadedBefore(oldestKept + 1)).isEqualTo(10L * (2 * OwnClassLoads.KEPT + 1));
    }

    @Test
    void theMetaspaceOfALoadIsAsMeasuredAroundItOrEstimatedPerClass() {
        long[] total = {1000};
        long[] metaspace = {20L << 20};
        OwnClassLoads own = new OwnClassLoads(() -> total[0], () -> metaspace[0]);
        own.during(java.time.Instant.ofEpochMilli(1000), () -> {
            total[0] += 700; // a recording started: 700 classes, 3 MiB
            metaspace[0] += 3L << 20;
            return null;
        });
        own.note(java.time.Instant.ofEpochMilli(2000), 100); // an alert sink's, not measured

        assertThat(own.metaspaceBefore(1001, 4096)).isEqualTo(3L << 20);
        assertThat(own.metaspaceBefore(2001, 4096)).isEqualTo((3L << 20) + 100 * 4096);
    }
}
