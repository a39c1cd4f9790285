package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.util.List;

/**
 * What is memwarden's own detection at work: the timeline and the detector's units. Their objects grow while it looks
 * and are bounded, so they are never a suspect, and what they allocate is never an allocation site.
 */
final class DetectionTypes {
    private static final List<String> PACKAGES =
            List.of("dev.memwarden.leak.", "dev.memwarden.internal.", "dev.memwarden.telemetry.");

    /** The detector's classes by name: its package also holds the tests, whose allocations are real sites. */
    private static final List<String> DETECTOR = List.of(
            AllocationEvidence.class.getName(),
            AllocationSites.class.getName(),
            ClassGrowth.class.getName(),
            GcClassHistogram.class.getName(),
            HistogramPacing.class.getName(),
            LeakDetector.class.getName(),
            LeakReport.class.getName(),
            LiveSetTrend.class.getName(),
            OffHeapTrends.class.getName(),
            OwnClassLoads.class.getName(),
            ReportHistory.class.getName(),
            Rise.class.getName(),
            Sliced.class.getName(),
            StartUpGate.class.getName(),
            StructureTrends.class.getName(),
            Trend.class.getName(),
            Verdicts.class.getName(),
            WindowSlicer.class.getName());

    private DetectionTypes() {}

    /** Whether a class as a histogram prints it is memwarden's: the timeline, the report, the engine. */
    static boolean bookkeeping(String histogramName) {
        return PACKAGES.stream().anyMatch(histogramName::startsWith);
    }

    /** Whether a frame's class, by its binary name, is the timeline's or the detector's, nested classes included. */
    static boolean detectionFrame(String type) {
        if (type.startsWith("dev.memwarden.telemetry.") || type.startsWith("dev.memwarden.internal.telemetry.")) {
            return true;
        }
        for (String own : DETECTOR) {
            if (type.startsWith(own) && (type.length() == own.length() || type.charAt(own.length()) == '$')) {
                return true;
            }
        }
        return false;
    }
}
