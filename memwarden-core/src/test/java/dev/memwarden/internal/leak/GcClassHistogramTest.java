package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.HeapUse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcClassHistogramTest {
    /** Instances of this class are counted in the real histogram below. */
    static final class Marker {
        final long value;

        Marker(long value) {
            this.value = value;
        }
    }

    @Test
    void parsesTheJvmsOutputKeepingTheLargest() {
        String text =
                """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         17420        1199176  [B (java.base@17.0.15)
                   2:          3633         434952  java.lang.Class (java.base@17.0.15)
                   3:          7344         235008  com.acme.Session
                   4:             1             16  sun.util.calendar.Gregorian (java.base@17.0.15)
                Total         28398        1869152
                """;
        GcClassHistogram histogram = GcClassHistogram.parse(Instant.EPOCH, text, 3);
        assertThat(histogram.classes()).hasSize(3).containsKey("com.acme.Session");
        assertThat(histogram.classes().get("[B (java.base@17.0.15)").bytes()).isEqualTo(1199176);
        assertThat(GcClassHistogram.className("[B (java.base@17.0.15)")).isEqualTo("byte[]");
        assertThat(GcClassHistogram.className("[Lcom.acme.Session; ")).isEqualTo("com.acme.Session[]");
        assertThat(GcClassHistogram.className("java.lang.Class (java.base@17.0.15)"))
                .isEqualTo("java.lang.Class");
    }

    @Test
    void fillersAreDeadSpaceNotClassesAndNotPartOfTheTotal() {
        // As JDK 21 and later print them: the dead space that a full GC left in regions it did not compact. In the
        // demo on JDK 25 they grew from 56 to 179 between histograms and were named as a growing class.
        String text =
                """
                   1:         17420        1199176  [B (java.base@25.0.3)
                   2:           179         327880  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
                   3:          7344         235008  com.acme.Session
                   4:            12            192  jdk.internal.vm.FillerObject (java.base@25.0.3)
                   5:             1             16  sun.util.calendar.Gregorian (java.base@25.0.3)
                """;
        GcClassHistogram histogram = GcClassHistogram.parse(Instant.EPOCH, text, 3);

        assertThat(histogram.classes().keySet())
                .containsExactlyInAnyOrder(
                        "[B (java.base@25.0.3)", "com.acme.Session", "sun.util.calendar.Gregorian (java.base@25.0.3)");
        assertThat(histogram.totalBytes()).isEqualTo(1199176 + 235008 + 16);
    }

    @Test
    void aRealHistogramCountsWhatThisJvmHolds() {
        List<Marker> held = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            held.add(new Marker(i));
        }
        GcClassHistogram before = GcClassHistogram.take(Instant.EPOCH, 500);
        for (int i = 0; i < 50_000; i++) {
            held.add(new Marker(i));
        }
        GcClassHistogram after = GcClassHistogram.take(Instant.EPOCH.plusSeconds(60), 500);

        String name = before.classes().keySet().stream()
                .filter(n -> n.startsWith(Marker.class.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(before.classes().get(name).instances()).isGreaterThanOrEqualTo(50_000);
        assertThat(after.grownSince(before))
                .filteredOn(g -> g.name().equals(name))
                .singleElement()
                .satisfies(g -> assertThat(g.instances()).isEqualTo(50_000));
        assertThat(held).hasSize(100_000);
    }

    @Test
    void longNamesAreCutSoTheFootprintIsABound() {
        String huge = "com.acme.Generated$$" + "x".repeat(5000);
        GcClassHistogram histogram =
                GcClassHistogram.parse(Instant.EPOCH, "   1:        10        640  " + huge + "\n", 500);
        assertThat(histogram.classes().keySet()).singleElement().satisfies(name -> assertThat(name)
                .hasSize(GcClassHistogram.MAX_NAME));
        assertThat(GcClassHistogram.footprintBytes(500)).isBetween(100_000L, 400_000L);
    }

    @Test
    void threeRealHistogramsRetainLessThanTheirComputedBound() {
        GcClassHistogram.take(Instant.EPOCH, 500); // load and link what taking one needs, before the baseline
        long before = HeapUse.afterFullGc();
        List<GcClassHistogram> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(GcClassHistogram.take(Instant.EPOCH, 500));
        }
        long retained = HeapUse.afterFullGc() - before;

        assertThat(retained).isPositive().isLessThanOrEqualTo(LeakDetector.histogramFootprintBytes());
        assertThat(held).allSatisfy(h -> assertThat(h.classes()).hasSize(500));
    }
}
