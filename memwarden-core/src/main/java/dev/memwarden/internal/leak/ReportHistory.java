package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.List;

/**
 * The reports the detector keeps, and the most memory they can hold. The latest report is kept whole; the history
 * keeps its top suspects without allocation stacks and root paths, which are most of a report's size.
 */
final class ReportHistory {
    /** A report in the history keeps this many suspects. */
    static final int SUSPECTS = 4;

    private static final long HEADER = 16;
    private static final long ARRAY_HEADER = 24;
    private static final long REF = 8;

    private ReportHistory() {}

    /** What the detector reports before its first check. */
    static LeakReport none() {
        return new LeakReport(
                LeakReport.Verdict.NONE, 0, Instant.EPOCH, new LeakReport.LiveSet(0, 0, null, null), List.of());
    }

    /** A report as the history keeps it: the top suspects, without allocation stacks and root paths. */
    static LeakReport stripped(LeakReport report) {
        return new LeakReport(
                report.verdict(),
                report.confidence(),
                report.checkedAt(),
                report.liveSet(),
                report.suspects().stream()
                        .limit(SUSPECTS)
                        .map(LeakReport.Suspect::withoutTraces)
                        .toList());
    }

    /**
     * The most memory one report can hold, from the caps on suspects, text and frames. It takes the layout at its
     * largest (no compressed oops or class pointers: 16-byte headers, 8-byte references, 24-byte array headers) and
     * two bytes per character, so it holds on every collector and for any text.
     *
     * @param stripped whether this is a report as the history keeps it ({@link #stripped(LeakReport)})
     */
    static long footprintBytes(boolean stripped) {
        int suspectCount = stripped ? SUSPECTS : LeakReport.MAX_SUSPECTS;
        long boxedDouble = object(0) + 8;
        long report = object(5) + boxedDouble + object(4) + 2 * (object(0) + 8) + object(0) + 16;
        return report + object(1) + array(REF * (long) suspectCount) + suspectCount * suspectFootprintBytes(!stripped);
    }

    /** The most one suspect can hold, on the same terms as {@link #footprintBytes(boolean)}. */
    static long suspectFootprintBytes(boolean withTraces) {
        long text = object(4 + 2) + array(2L * LeakReport.MAX_TEXT);
        long list = object(1) + array(REF * (long) LeakReport.MAX_FRAMES);
        long traces = withTraces ? 2 * (list + LeakReport.MAX_FRAMES * text) : 0;
        long boxedDouble = object(0) + 8;
        return object(8) + 2 * boxedDouble + 3 * text + traces;
    }

    /** An object of this many reference-sized fields. */
    private static long object(int fields) {
        return align(HEADER + REF * fields);
    }

    private static long array(long payload) {
        return align(ARRAY_HEADER + payload);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
