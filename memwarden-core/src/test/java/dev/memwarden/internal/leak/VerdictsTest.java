package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    private static final double MB = 1 << 20;
    private static final Trend RISING = new Trend(MB / 60_000, 0.9995, 12); // 1 MiB a minute
    private static final Trend FLAT = new Trend(0, 0.4, 12);

    private static LeakReport judge(
            Trend trend, boolean heapLeak, @Nullable Long toContainer, List<LeakReport.Suspect> suspects) {
        return Verdicts.judge(new Verdicts.Findings(
                Instant.EPOCH, 1024 * MB, 200 * MB, trend, 12, heapLeak, heapLeak, false, toContainer, suspects));
    }

    private static LeakReport.Suspect suspect(String name, @Nullable Double bytes, @Nullable Double count) {
        return new LeakReport.OffHeap(name, bytes, count, "e", "n");
    }

    @Test
    void aVerifiedRiseAtHighConfidenceIsConfirmedWithTheTimeLeft() {
        LeakReport report = judge(RISING, true, null, List.of());
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.CONFIRMED);
        assertThat(report.liveSet().growthBytesPerHour()).isEqualTo(60 * MB);
        assertThat(report.liveSet().timeToExhaustionSeconds()).isEqualTo(824 * 60);
    }

    @Test
    void aVerifiedRiseThatHasNotOutlastedItsSpanIsOnlySuspected() {
        LeakReport report = Verdicts.judge(new Verdicts.Findings(
                Instant.EPOCH, 1024 * MB, 200 * MB, RISING, 12, true, false, false, null, List.of()));
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.SUSPECTED);
        assertThat(report.liveSet().timeToExhaustionSeconds())
                .as("a warning still says how long is left")
                .isEqualTo(824 * 60);
    }

    @Test
    void aRiseOutsideTheHeapThatPersistsIsConfirmed() {
        List<LeakReport.Suspect> threads = List.of(suspect("threads", null, 36_000.0));
        LeakReport persisting = Verdicts.judge(
                new Verdicts.Findings(Instant.EPOCH, 1024 * MB, 200 * MB, FLAT, 12, false, false, true, null, threads));
        assertThat(persisting.verdict()).isEqualTo(LeakReport.Verdict.CONFIRMED);
        assertThat(judge(FLAT, false, null, threads).verdict()).isEqualTo(LeakReport.Verdict.SUSPECTED);
    }

    @Test
    void aSuspectOrTheContainerLimitAloneIsSuspected() {
        assertThat(judge(FLAT, false, null, List.of(suspect("sessions", null, 10.0)))
                        .verdict())
                .isEqualTo(LeakReport.Verdict.SUSPECTED);
        LeakReport container = judge(FLAT, false, 600L, List.of());
        assertThat(container.verdict()).isEqualTo(LeakReport.Verdict.SUSPECTED);
        assertThat(container.confidence()).isEqualTo(Verdicts.SUSPECT_CONFIDENCE);
        assertThat(container.liveSet().growthBytesPerHour())
                .as("not the live set's rise")
                .isZero();
    }

    @Test
    void nothingIsNoneWithTheConfidenceThatNothingGrows() {
        LeakReport report = judge(FLAT, false, null, List.of());
        assertThat(report.verdict()).isEqualTo(LeakReport.Verdict.NONE);
        assertThat(report.confidence()).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void suspectsRankByBytesThenByCountKeepingTheOrderOfTies() {
        LeakReport report = judge(
                FLAT,
                false,
                null,
                List.of(
                        suspect("counted", null, 5.0),
                        suspect("small", 10.0, null),
                        suspect("big", 1000.0, null),
                        suspect("counted more", null, 50.0),
                        suspect("tied", null, 5.0)));
        assertThat(report.suspects())
                .extracting(LeakReport.Suspect::name)
                .containsExactly("big", "small", "counted more", "counted", "tied");
    }

    @Test
    void whatHoldsTheGrowthRanksBeforeTheClassesItHolds() {
        LeakReport.Suspect array = new LeakReport.GrowingClass("double[]", 400 * MB, 9e5, "grew", "next");
        LeakReport.Suspect site = new LeakReport.AllocationSite(
                "double[] allocated at Orders.add:12",
                "e",
                "n",
                List.of("Orders.add:12"),
                List.of("static Orders.ALL", "java.util.HashMap"));
        LeakReport report = judge(RISING, true, null, List.of(array, site));
        assertThat(report.suspects())
                .extracting(LeakReport.Suspect::kind)
                .containsExactly(LeakReport.Kind.ALLOCATION_SITE, LeakReport.Kind.CLASS);
    }

    @Test
    void holdersADumpNamedComeFirstWhileThereIsALeakAndNotAfter() {
        LeakReport.Holder holder = new LeakReport.Holder("static a.Orders.BY_ID", "a HashMap", "bound it", null);
        LeakReport leak = judge(RISING, true, null, List.of(suspect("metaspace", 1e6, null)));
        LeakReport none = judge(FLAT, false, null, List.of());

        assertThat(Verdicts.withHolders(leak, List.of(holder)).suspects())
                .extracting(LeakReport.Suspect::name)
                .containsExactly("static a.Orders.BY_ID", "metaspace");
        assertThat(Verdicts.withHolders(none, List.of(holder))).isEqualTo(none);
    }
}
