package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The verdict and the ranking. CONFIRMED takes a verified rise of the live set at {@link #CONFIRM_CONFIDENCE};
 * SUSPECTED a verified rise below it, any suspect, or RSS heading for the container limit; NONE, otherwise, with the
 * confidence that nothing grows. Suspects are ranked by bytes a hour, then by count an hour.
 */
final class Verdicts {
    static final double SUSPECT_CONFIDENCE = 0.99;
    static final double CONFIRM_CONFIDENCE = 0.999;
    private static final double MS_PER_HOUR = 3_600_000;

    private static final Comparator<LeakReport.Suspect> BY_GROWTH = Comparator.comparingDouble(
                    (LeakReport.Suspect s) -> s.growthBytesPerHour() == null ? -1 : s.growthBytesPerHour())
            .reversed()
            .thenComparing(Comparator.comparingDouble(
                            (LeakReport.Suspect s) -> s.growthCountPerHour() == null ? -1 : s.growthCountPerHour())
                    .reversed());

    private Verdicts() {}

    /** What a check found, before it is judged. */
    record Findings(
            Instant at,
            double heapMax,
            double liveNow,
            Trend liveTrend,
            int livePoints,
            boolean heapLeak,
            @Nullable Long secondsToContainerLimit,
            List<LeakReport.Suspect> suspects) {}

    static LeakReport judge(Findings f) {
        double growthPerHour = f.liveTrend().slope() * MS_PER_HOUR;
        Long timeToExhaustion = null;
        if (f.heapLeak() && growthPerHour > 0) {
            long seconds = Rise.secondsToExhaustion(f.heapMax(), f.liveNow(), f.liveTrend());
            timeToExhaustion = seconds == Long.MAX_VALUE ? null : seconds;
        }
        List<LeakReport.Suspect> ranked =
                f.suspects().stream().sorted(BY_GROWTH).toList();
        double confidence = f.heapLeak() ? f.liveTrend().confidence() : 0;
        LeakReport.Verdict verdict;
        if (f.heapLeak() && f.liveTrend().confidence() >= CONFIRM_CONFIDENCE) {
            verdict = LeakReport.Verdict.CONFIRMED;
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
}
