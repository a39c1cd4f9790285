package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The verdict and the ranking. SUSPECTED warns: a verified rise of the live set, any suspect, or RSS heading for the
 * container limit, each with its time to exhaustion, even one that may still level off. CONFIRMED pages: it takes
 * growth that persisted past what a cache filling or a batch explains, a verified rise of the live set at {@link
 * #CONFIRM_CONFIDENCE} that went on rising, since first seen, for {@link LeakDetector#SETTLED} and the span it
 * first showed in, or a rise outside the heap all through a span that long. NONE, otherwise, with the confidence that nothing grows. Suspects are ranked holders first (see {@link
 * #RANKING}).
 */
final class Verdicts {
    static final double SUSPECT_CONFIDENCE = 0.99;
    static final double CONFIRM_CONFIDENCE = 0.999;
    private static final double MS_PER_HOUR = 3_600_000;

    /**
     * What holds the growth before the classes it holds: a class grows because something keeps its instances, and
     * that something (a holder a heap dump named, first; then a watched structure, an allocation site with its path
     * from a GC root, a resource outside the heap) is what a person must find. An allocation site without a path (allocation samples, where old-object
     * samples are off) says only where a growing class is allocated most, which a service's garbage can outweigh: it
     * ranks after the classes. Then by bytes an hour, then by count an hour.
     */
    private static final Comparator<LeakReport.Suspect> RANKING = Comparator.comparingInt(Verdicts::rank)
            .thenComparing(Comparator.comparingDouble(
                            (LeakReport.Suspect s) -> s.growthBytesPerHour() == null ? -1 : s.growthBytesPerHour())
                    .reversed()
                    .thenComparing(Comparator.comparingDouble((LeakReport.Suspect s) ->
                                    s.growthCountPerHour() == null ? -1 : s.growthCountPerHour())
                            .reversed()));

    private Verdicts() {}

    private static int rank(LeakReport.Suspect suspect) {
        if (suspect.kind() == LeakReport.Kind.HOLDER) {
            return 0;
        }
        if (suspect.kind() == LeakReport.Kind.ALLOCATION_SITE && suspect.gcRootPath() == null) {
            return 3;
        }
        return suspect.kind() == LeakReport.Kind.CLASS ? 2 : 1;
    }

    /** What a check found, before it is judged. */
    record Findings(
            Instant at,
            double heapMax,
            double liveNow,
            Trend liveTrend,
            int livePoints,
            boolean heapLeak,
            boolean heapLeakPersists,
            boolean offHeapPersists,
            @Nullable Long secondsToContainerLimit,
            List<LeakReport.Suspect> suspects) {}

    static LeakReport judge(Findings f) {
        double growthPerHour = f.liveTrend().slope() * MS_PER_HOUR;
        Long timeToExhaustion = null;
        if (f.heapLeak() && growthPerHour > 0) {
            long seconds = Rise.secondsToExhaustion(f.heapMax(), f.liveNow(), f.liveTrend());
            timeToExhaustion = seconds == Long.MAX_VALUE ? null : seconds;
        }
        List<LeakReport.Suspect> ranked = f.suspects().stream().sorted(RANKING).toList();
        double confidence = f.heapLeak() ? f.liveTrend().confidence() : 0;
        LeakReport.Verdict verdict;
        if (f.heapLeakPersists() && f.liveTrend().confidence() >= CONFIRM_CONFIDENCE) {
            verdict = LeakReport.Verdict.CONFIRMED;
        } else if (f.offHeapPersists() && !ranked.isEmpty()) {
            verdict = LeakReport.Verdict.CONFIRMED;
            confidence = Math.max(confidence, CONFIRM_CONFIDENCE);
        } else if (f.heapLeak() || !ranked.isEmpty() || f.secondsToContainerLimit() != null) {
            verdict = LeakReport.Verdict.SUSPECTED;
            confidence = Math.max(confidence, SUSPECT_CONFIDENCE);
        } else {
            verdict = LeakReport.Verdict.NONE;
            confidence =
                    f.livePoints() < Sliced.MIN_POINTS ? 0 : 1 - f.liveTrend().confidence();
        }
        return new LeakReport(
                verdict,
                Math.max(0, Math.min(1, confidence)),
                f.at(),
                new LeakReport.LiveSet(
                        Double.isFinite(f.liveNow()) ? (long) f.liveNow() : 0,
                        f.heapLeak() ? growthPerHour : 0,
                        timeToExhaustion,
                        f.secondsToContainerLimit()),
                ranked);
    }

    /** The report with the holders a heap dump named put first, unless it found nothing to hold. */
    static LeakReport withHolders(LeakReport report, List<LeakReport.Holder> holders) {
        if (holders.isEmpty() || report.verdict() == LeakReport.Verdict.NONE) {
            return report;
        }
        List<LeakReport.Suspect> suspects = new ArrayList<>(holders);
        suspects.addAll(report.suspects());
        return new LeakReport(report.verdict(), report.confidence(), report.checkedAt(), report.liveSet(), suspects);
    }
}
