package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import dev.memwarden.testing.HeapUse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReportHistoryTest {

    @Test
    void suspectsTextAndFramesAreCapped() {
        LeakReport report = oversized(0);

        assertThat(report.suspects()).hasSize(LeakReport.MAX_SUSPECTS);
        assertThat(report.suspects().get(0).name()).startsWith("suspect 0 ");
        assertThat(report.suspects()).allSatisfy(s -> {
            assertThat(s.name()).hasSize(LeakReport.MAX_TEXT).endsWith("…");
            assertThat(s.evidence()).hasSize(LeakReport.MAX_TEXT);
            assertThat(s.allocationStack()).hasSize(LeakReport.MAX_FRAMES);
            assertThat(s.allocationStack())
                    .allSatisfy(frame -> assertThat(frame.length()).isLessThanOrEqualTo(LeakReport.MAX_TEXT));
        });
        assertThat(ReportHistory.stripped(report).suspects())
                .hasSize(ReportHistory.SUSPECTS)
                .allSatisfy(s -> assertThat(s.allocationStack()).isNull())
                .allSatisfy(s -> assertThat(s.gcRootPath()).isNull());
    }

    @Test
    void reportsAtTheirCapsRetainLessThanTheComputedBound() {
        oversized(-1); // load the classes building one needs before the baseline
        long before = HeapUse.afterFullGc();
        List<LeakReport> full = new ArrayList<>();
        List<LeakReport> stripped = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            full.add(oversized(i));
            stripped.add(ReportHistory.stripped(oversized(100 + i)));
        }
        long retained = HeapUse.afterFullGc() - before;

        long bound = 16 * (ReportHistory.footprintBytes(false) + ReportHistory.footprintBytes(true));
        assertThat(retained).isPositive().isLessThanOrEqualTo(bound);
        // The bound is not loose by orders of magnitude: these reports are at every cap.
        assertThat(retained).isGreaterThan(bound / 4);
        assertThat(full).hasSize(16);
        assertThat(stripped).hasSize(16);
    }

    /** A report past every cap, its strings unique (seeded) and in UTF-16 so none is shared or compacted. */
    private static LeakReport oversized(int seed) {
        String wide = "ł".repeat(2 * LeakReport.MAX_TEXT);
        List<String> stack = IntStream.range(0, 3 * LeakReport.MAX_FRAMES)
                .mapToObj(f -> "frame " + seed + " " + f + " " + wide)
                .toList();
        List<LeakReport.Suspect> suspects = IntStream.range(0, 3 * LeakReport.MAX_SUSPECTS)
                .mapToObj(i -> (LeakReport.Suspect) new LeakReport.AllocationSite(
                        "suspect " + i + " " + seed + wide,
                        "evidence " + i + " " + seed + wide,
                        "next " + i + " " + seed + wide,
                        stack,
                        Collections.unmodifiableList(stack)))
                .toList();
        return new LeakReport(
                LeakReport.Verdict.SUSPECTED, 0.99, Instant.EPOCH, new LeakReport.LiveSet(1, 2, 3L, 4L), suspects);
    }
}
