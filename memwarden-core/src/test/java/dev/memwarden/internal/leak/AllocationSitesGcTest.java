package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Layer 5 weighing real old-object samples by age, under each collector where it samples old objects; under the
 * others (Shenandoah, generational ZGC) it records allocation samples, which have no age, and JDK 25 gives no old
 * objects under Shenandoah at all. Tagged {@code gc}: Surefire runs it once per collector in a 256 MB heap, where
 * every object this test allocates is past any TLAB, so the sampler sees each one (in a larger heap a TLAB holds
 * them, and a few samples in all would make the test a matter of chance).
 */
@Tag("gc")
class AllocationSitesGcTest {
    private static final int LARGE = 512 * 1024;
    private static final int LEAKED = 40;
    private static final List<byte[]> LEAK = new ArrayList<>();

    /** The last 120 only: a bounded structure that lets its entries go again, as a service's sessions expire. */
    private static final byte[][] CHURN = new byte[120][];

    /**
     * A service lets most of what it allocates go again after a while (requests, sessions): alive when sampled, such
     * objects can outnumber a leak's, but none of them lived through half the rise, where the leak's span all of it.
     */
    @Test
    void whileTheLiveSetRisesOnlyObjectsThatLivedThroughHalfTheRiseNameTheSite() {
        List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
        if (!AllocationSites.oldObjectSamplingSafe(collectors)) {
            try (AllocationSites sites = AllocationSites.start()) {
                assertThat(sites.samplesOldObjects()).as("under " + collectors).isFalse();
            }
            return;
        }
        try (AllocationSites sites = AllocationSites.start()) {
            assertThat(sites.samplesOldObjects()).as("under " + collectors).isTrue();
            // The leak's objects come at an even pace through the rise; the churn as fast as it can between them.
            long start = System.nanoTime();
            long risingNanos = TimeUnit.SECONDS.toNanos(2);
            int churned = 0;
            for (int leaked = 0; leaked < LEAKED; ) {
                churnHere(churned++);
                if (System.nanoTime() - start >= risingNanos * leaked / LEAKED) {
                    leakHere();
                    leaked++;
                }
            }
            Duration risingFor = Duration.ofNanos(System.nanoTime() - start);
            assertThat(churned)
                    .as("the churn let go of most of what it allocated")
                    .isGreaterThan(10 * CHURN.length);

            List<LeakReport.Suspect> byAge = sites.suspects(Set.of("byte[]"), risingFor);
            assertThat(byAge).isNotEmpty();
            assertThat(byAge.get(0).name()).contains("leakHere");
            assertThat(byAge.get(0).evidence()).contains("(half the rise)");
            assertThat(byAge).noneMatch(suspect -> suspect.name().contains("churnHere"));

            // The same samples without a rise to weigh them by: the churn, alive too, is a suspect.
            List<LeakReport.Suspect> alive = sites.suspects(Set.of("byte[]"), Duration.ZERO);
            assertThat(alive).anyMatch(suspect -> suspect.name().contains("churnHere"));
            assertThat(alive.get(0).evidence()).contains("sampled objects still alive");
        } finally {
            LEAK.clear();
            Arrays.fill(CHURN, null);
        }
    }

    private static void churnHere(int i) {
        CHURN[i % CHURN.length] = new byte[LARGE];
    }

    private static void leakHere() {
        LEAK.add(new byte[LARGE]);
    }
}
