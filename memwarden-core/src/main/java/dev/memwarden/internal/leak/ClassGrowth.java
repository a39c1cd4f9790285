package dev.memwarden.internal.leak;

import dev.memwarden.internal.Format;
import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Layer 4: class histograms ({@code GC.class_histogram}), taken only when layers 1 to 3 suspect a leak, because each
 * runs a full GC and walks the heap with the JVM stopped. It keeps the top classes of the last three; a class that grew
 * in instances and bytes across both of the last two intervals is a CLASS suspect.
 *
 * <p>It also verifies a rise of the live set. Each histogram runs a full collection, so its total is the true live
 * heap, which promoted garbage cannot inflate. Three rising totals are not enough where histograms keep coming for a
 * rise that is not one: under a collector that clears its old generation only in full collections (Parallel, Serial),
 * a sawtooth of large temporaries is promoted and raises the floor, and three histograms of its true cycle rise in a
 * row one time in six. So the totals since the live set was last quiet (the episode) must rise too: the latest above
 * all of them, with a Mann–Kendall trend. A swing stays within its bounds; a leak passes them.
 *
 * <p>Thread-safe: a histogram is taken without holding this object's lock, and recorded under it.
 */
final class ClassGrowth {
    static final int HISTOGRAM_CLASSES = 500;
    private static final int CLASS_SUSPECTS = 5;
    private static final double MS_PER_HOUR = 3_600_000;

    /** Less growth than this across two histogram intervals is churn, not a class worth naming. */
    static final long MIN_CLASS_GROWTH = 64 * 1024;

    /** The least growth across three histograms that confirms a rise of the live set. */
    static final long MIN_VERIFIED_GROWTH = 1 << 20;

    /** How many histogram totals of a rise's episode its verification looks back on. */
    static final int EPISODE_HISTOGRAMS = 16;

    /** The Mann–Kendall confidence the totals of a longer episode must show for its rise to stand. */
    static final double EPISODE_CONFIDENCE = 0.95;

    private final @Nullable HistogramSource source;
    private final OwnClassLoads ownClasses;
    private final GcClassHistogram[] recent = new GcClassHistogram[3];
    private int count;
    private boolean unavailable;

    /**
     * The totals of the last {@value #EPISODE_HISTOGRAMS} histograms taken since the live set was last quiet for a
     * whole interval, oldest first from {@code episodeCount % EPISODE_HISTOGRAMS} once the ring is full.
     */
    private final long[] episodeTotals = new long[EPISODE_HISTOGRAMS];

    private int episodeCount;

    /** @param source where histograms come from, or null to never take one */
    ClassGrowth(@Nullable HistogramSource source, OwnClassLoads ownClasses) {
        this.source = source;
        this.ownClasses = ownClasses;
    }

    /** The most the histograms hold: the last three, {@value #HISTOGRAM_CLASSES} classes each. */
    static long footprintBytes() {
        return 3 * GcClassHistogram.footprintBytes(HISTOGRAM_CLASSES);
    }

    boolean takesHistograms() {
        return source != null;
    }

    /** Whether histograms can verify a rise: taken here, and the last attempt did not fail. */
    synchronized boolean verifies() {
        return source != null && !unavailable;
    }

    synchronized int episodeHistograms() {
        return episodeCount;
    }

    /** The live set was quiet for a whole interval: the next rise's histograms start afresh. */
    synchronized void endEpisode() {
        episodeCount = 0;
    }

    /**
     * Takes a histogram now. Returns false when it failed: without a DiagnosticCommand (not HotSpot) layer 4 is simply
     * unavailable.
     */
    boolean take(Instant at) {
        HistogramSource histograms = source;
        if (histograms == null) {
            return false;
        }
        GcClassHistogram taken;
        try {
            taken = ownClasses.during(at, () -> histograms.take(at));
        } catch (RuntimeException e) {
            synchronized (this) {
                unavailable = true;
            }
            return false;
        }
        synchronized (this) {
            recent[count % 3] = taken;
            episodeTotals[episodeCount++ % EPISODE_HISTOGRAMS] = taken.totalBytes();
            unavailable = false;
            count++;
        }
        return true;
    }

    /** The classes that grew across both of the last two intervals, at most five. */
    synchronized List<LeakReport.Suspect> suspects() {
        GcClassHistogram oldest = recent[count % 3];
        GcClassHistogram middle = recent[(count + 1) % 3];
        GcClassHistogram latest = recent[(count + 2) % 3];
        if (count < 3 || oldest == null || middle == null || latest == null) {
            return List.of();
        }
        Map<String, GcClassHistogram.Growth> firstInterval = new HashMap<>();
        for (GcClassHistogram.Growth g : middle.grownSince(oldest)) {
            firstInterval.put(g.name(), g);
        }
        double hours = (latest.takenAt().toEpochMilli() - oldest.takenAt().toEpochMilli()) / MS_PER_HOUR;
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        for (GcClassHistogram.Growth g : latest.grownSince(middle)) {
            GcClassHistogram.Growth earlier = firstInterval.get(g.name());
            if (earlier == null
                    || suspects.size() >= CLASS_SUSPECTS
                    || hours <= 0
                    || g.bytes() + earlier.bytes() < MIN_CLASS_GROWTH
                    || DetectionTypes.bookkeeping(g.name())) {
                continue;
            }
            suspects.add(suspect(
                    g, earlier, oldest.classes().get(g.name()), latest.classes().get(g.name()), hours));
        }
        return suspects;
    }

    private static LeakReport.Suspect suspect(
            GcClassHistogram.Growth g,
            GcClassHistogram.Growth earlier,
            GcClassHistogram.@Nullable Entry then,
            GcClassHistogram.@Nullable Entry now,
            double hours) {
        long bytes = g.bytes() + earlier.bytes();
        long instances = g.instances() + earlier.instances();
        String name = GcClassHistogram.className(g.name());
        return new LeakReport.GrowingClass(
                name,
                (double) bytes / hours,
                (double) instances / hours,
                String.format(
                        Locale.ROOT,
                        "%s grew in both of the last two histogram intervals: %d to %d instances, %s to %s",
                        name,
                        then == null ? 0 : then.instances(),
                        now == null ? instances : now.instances(),
                        Format.bytes(then == null ? 0 : then.bytes()),
                        Format.bytes(now == null ? bytes : now.bytes())),
                "find what keeps the " + name + " instances: a heap dump shows the path from their GC root;"
                        + " the allocation-site layer will name where they are created");
    }

    /**
     * Whether the histograms confirm that the live set really grows at {@code at}, at about {@code slopePerMilli}.
     * The rise stands once the last three histograms, all taken in this episode and the latest within two paces,
     * grew in both intervals, by at least 1 MiB and a tenth of what the slope predicts (garbage inflates the slope of
     * a real leak too), and where more were taken in the episode, the latest passed all of them and they show a
     * trend. Where no histograms can be taken, layer 1 stands alone.
     */
    synchronized boolean verified(long at, double slopePerMilli, long paceMillis) {
        if (source == null || unavailable) {
            return true;
        }
        if (episodeCount < 3) {
            return false; // a histogram from before the live set went quiet belongs to another rise
        }
        GcClassHistogram oldest = recent[count % 3];
        GcClassHistogram middle = recent[(count + 1) % 3];
        GcClassHistogram latest = recent[(count + 2) % 3];
        if (oldest == null || middle == null || latest == null) {
            return false;
        }
        if (at - latest.takenAt().toEpochMilli() > 2 * paceMillis) {
            return false;
        }
        long first = oldest.totalBytes();
        long second = middle.totalBytes();
        long third = latest.totalBytes();
        double predicted = slopePerMilli
                * (latest.takenAt().toEpochMilli() - oldest.takenAt().toEpochMilli());
        return second > first
                && third > second
                && third - first >= Math.max(MIN_VERIFIED_GROWTH, predicted / 10)
                && risesAcrossTheEpisode();
    }

    /**
     * Whether the totals of this episode, where it holds more than the last three histograms, rise beyond chance: the
     * latest passes every earlier one, and Mann–Kendall finds a trend across all of them.
     */
    private boolean risesAcrossTheEpisode() {
        int n = Math.min(episodeCount, EPISODE_HISTOGRAMS);
        if (n <= 3) {
            return true;
        }
        double[] totals = new double[n];
        for (int i = 0; i < n; i++) {
            totals[i] = episodeTotals[(episodeCount - n + i) % EPISODE_HISTOGRAMS];
        }
        for (int i = 0; i < n - 1; i++) {
            if (totals[i] >= totals[n - 1]) {
                return false;
            }
        }
        return Trend.mannKendallConfidence(totals) >= EPISODE_CONFIDENCE;
    }
}
