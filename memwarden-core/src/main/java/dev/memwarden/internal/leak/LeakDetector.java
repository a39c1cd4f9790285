package dev.memwarden.internal.leak;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.RingBuffer;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/*
 * How memwarden decides that a service leaks.
 *
 * Signals
 * -------
 * Heap "used" saw-tooths with every allocation burst. What a leak moves is the live set, the memory still reachable
 * after a collection (GcMonitor records it after every GC). Even that rises between major collections as objects are
 * promoted and die in the old generation, so every trend is taken on window minima: the window is cut into equal
 * slices and each slice keeps its minimum (WindowSlicer). A leak raises the floor; promotion noise does not. On the
 * minima: the Theil–Sen slope for the rate and the Mann–Kendall test for whether the rise is more than chance (Trend).
 *
 * Layers, cheap first
 * -------------------
 * 1. LiveSetTrend: the live set at every scale from the window down to 20 s, and RSS against the container limit.
 * 2. OffHeapTrends: direct buffers, metaspace, classes, threads, file descriptors, native memory, each at the same
 *    scales and projected to its own limit.
 * 3. StructureTrends: every registered structure that has no bound of its own.
 * 4. ClassGrowth: class histograms, each a full GC, taken only when 1 to 3 suspect a leak, paced by HistogramPacing.
 * 5. AllocationEvidence: the JFR recording's allocation sites and paths from GC roots, joined with layer 4's classes;
 *    where JFR is dear, the recording starts at the first suspicion of a heap leak (RecordingOnSuspicion).
 * Layers 1 to 3 read only the in-memory timeline and registry: tens of microseconds a check (memwarden-bench
 * LeakCheckBenchmark). Heap dumps are an operator's tool, never taken by the detector.
 *
 * What is not a leak
 * ------------------
 * A plateau (the second half of a span no longer rises); a rise that a bounded primitive explains (a cache warming up
 * stops at its bound); start-up, while classes still load and for 5 minutes at most (StartUpGate), unless the rise
 * would exhaust the heap or another limit within 10 minutes (urgent); and a rise of the live set that three class
 * histograms do not confirm (ClassGrowth), since within a short span the climb of a sawtooth looks like a leak. A rise
 * that also shows in a registered structure or off-heap is reported at once.
 *
 * SUSPECTED warns, CONFIRMED pages (Verdicts): a rise is CONFIRMED only once it has outlasted what a cache filling or
 * a batch being loaded explains: it went on for SETTLED (3 minutes) and a span as long as the one it first showed in.
 *
 * Threading
 * ---------
 * A check has three phases. The assessment (layers 1 to 3, and what evidence is due) and the conclusion (verdict,
 * pacing, history) run under this object's lock, in microseconds. Gathering evidence (a histogram, a reading of the
 * recording) runs between them without that lock, one thread at a time: a check that finds another thread gathering
 * concludes on the evidence there is instead of waiting behind that thread's full GC. The detector keeps the last 64
 * reports, each bounded in bytes (footprintBytes()).
 */

/**
 * Decides from the timeline and the resource registry whether the service leaks, and names what grows. See the
 * design notes at the top of the source file.
 */
public final class LeakDetector implements AutoCloseable {
    static final int MIN_SLICES = Sliced.MIN_POINTS;

    /**
     * A rise that exhausts the heap sooner than this is urgent: it is reported even while the service starts, and its
     * histograms come closer than {@link HistogramPacing#FASTEST}. A leak that fast leaves no time to wait.
     */
    static final Duration URGENT = Duration.ofMinutes(10);

    /**
     * Growth that goes on this long is past what a burst, a pool or cache filling, or a batch being loaded explains:
     * those stop within a minute or two, and the idle members of a pool live on for about a minute (a cached thread
     * pool keeps an idle thread 60 s, HTTP clients an idle connection as long), which slice minima see through. Only
     * growth that lasted this long is CONFIRMED, and off-heap growth that is not urgent counts only over spans this
     * long.
     */
    static final Duration SETTLED = Duration.ofMinutes(3);

    /** A rise of the live set by this share of the heap since the last check calls for the next one at once. */
    static final double EARLY_CHECK_RISE = 0.05;

    private static final int HISTORY = 64;
    private static final System.Logger LOG = System.getLogger(LeakDetector.class.getName());

    private final long windowMillis;
    private final OwnClassLoads ownClasses;
    private final WindowSlicer slicer;
    private final StartUpGate startUp;
    private final LiveSetTrend liveSet;
    private final OffHeapTrends offHeap;

    /** What a heap dump taken on CONFIRMED named as holding the leak; none unless one is plugged in. */
    private volatile Supplier<List<LeakReport.Holder>> holders = List::of;

    private final @Nullable StructureTrends structures;
    private final ClassGrowth classes;
    private final HistogramPacing pacing;
    private final AllocationEvidence sites;
    private final ReentrantLock gathering = new ReentrantLock();
    private final RingBuffer<LeakReport> history;
    private @Nullable LeakReport latest;
    private long lastCheckAt = Long.MIN_VALUE;
    private double liveAtLastCheck = Double.NaN;

    private final RiseEpisode episode = new RiseEpisode();

    /** A check's outcome: its report, and the verdict of the one before, to tell a change. */
    public record Check(LeakReport report, LeakReport.Verdict previous) {}

    /** When layer 5 records allocation sites. */
    public enum SiteRecording {
        /** Never. */
        OFF,
        /** From the first suspicion of a heap leak on: nothing to pay until then. */
        FROM_FIRST_SUSPICION,
        /** From start-up on, so that the sites of objects allocated early are known too. */
        CONTINUOUS
    }

    /**
     * @param histogramInterval the least time between two class histograms (layer 4), or null to never take one
     */
    public LeakDetector(
            Timeline timeline,
            @Nullable ResourceRegistry resources,
            Duration window,
            int slices,
            @Nullable Duration histogramInterval,
            SiteRecording allocationSites) {
        this(
                timeline,
                resources,
                window,
                slices,
                histogramInterval == null ? null : at -> GcClassHistogram.take(at, ClassGrowth.HISTOGRAM_CLASSES),
                histogramInterval == null ? Duration.ZERO : histogramInterval,
                switch (allocationSites) {
                    case OFF -> null;
                    case FROM_FIRST_SUSPICION -> new RecordingOnSuspicion(AllocationSites::start);
                    case CONTINUOUS -> startAllocationSites();
                });
    }

    LeakDetector(
            Timeline timeline,
            @Nullable ResourceRegistry resources,
            Duration window,
            int slices,
            @Nullable HistogramSource histograms,
            Duration histogramInterval,
            @Nullable AllocationSource allocations) {
        if (slices < MIN_SLICES) {
            throw new IllegalArgumentException("a leak check needs at least " + MIN_SLICES + " slices, not " + slices);
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("the leak window is at least 1 minute, not " + window);
        }
        this.windowMillis = window.toMillis();
        this.ownClasses = new OwnClassLoads(
                ManagementFactory.getClassLoadingMXBean()::getTotalLoadedClassCount, LeakDetector::metaspaceUsed);
        this.slicer = new WindowSlicer(timeline, slices, ownClasses);
        this.liveSet = new LiveSetTrend(slicer, window);
        this.startUp = new StartUpGate(slicer, windowMillis, liveSet.scalesMillis());
        this.offHeap = new OffHeapTrends(slicer, windowMillis, liveSet.scalesMillis());
        this.structures = resources == null ? null : new StructureTrends(resources, slicer, windowMillis);
        this.classes = new ClassGrowth(histograms, ownClasses);
        this.pacing = new HistogramPacing(histogramInterval);
        this.sites = new AllocationEvidence(
                allocations,
                ownClasses,
                histograms != null,
                histogramInterval.isZero() ? AllocationEvidence.DEFAULT_INTERVAL : histogramInterval);
        this.history =
                RingBuffer.builder().name("leak-reports").capacity(HISTORY).build();
    }

    /** The metaspace in use now, or -1 where this JVM has no pool of that name. */
    private static long metaspaceUsed() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                return pool.getUsage().getUsed();
            }
        }
        return -1;
    }

    /**
     * Whether leak layer 5 costs this JVM little (JFR already running, or a small JFR memory size): what the {@code
     * auto} setting of {@code memwarden.leak.allocation.sites} asks.
     */
    public static boolean allocationSitesCheapHere() {
        return AllocationSites.cheapHere();
    }

    /** The JVM option that makes leak layer 5 cheap, for the log line that says why it is off. */
    public static String smallJfrOption() {
        return AllocationSites.SMALL_JFR;
    }

    private static @Nullable AllocationSites startAllocationSites() {
        try {
            return AllocationSites.start();
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "memwarden: allocation sites (leak layer 5) are off: " + e.getMessage());
            return null;
        }
    }

    /** The most the class histograms of layer 4 hold. */
    public static long histogramFootprintBytes() {
        return ClassGrowth.footprintBytes();
    }

    /**
     * The most this detector holds: its histograms, the latest report in full and {@value #HISTORY} reports of
     * history, which keep their top suspects but not their allocation stacks and root paths.
     */
    public static long footprintBytes() {
        return histogramFootprintBytes() + reportsFootprintBytes();
    }

    /** The most the latest report, the allocation sites kept for the next one, and the history hold. */
    public static long reportsFootprintBytes() {
        return ReportHistory.footprintBytes(false)
                + AllocationEvidence.footprintBytes()
                + HISTORY * ReportHistory.footprintBytes(true)
                + 64
                + 16
                + 4L * HISTORY; // the ring buffer and its array
    }

    /** The latest report; NONE before the first check. */
    public synchronized LeakReport latest() {
        LeakReport report = latest;
        return report == null ? ReportHistory.none() : report;
    }

    /** The last reports, oldest first, at most {@value #HISTORY}; each keeps its top suspects, without traces. */
    public List<LeakReport> history() {
        return history.snapshot();
    }

    /** Forgets the past reports, as after a fix is deployed; the evidence of the window and the latest report stay. */
    public void clearHistory() {
        history.clear();
    }

    /**
     * Whether a check is due before the set interval has passed: the first one, and the first with a live set (the
     * first check usually comes before the first GC); while a rise of the live set or a growing structure waits for
     * its histograms, when the next is due; and once the live set rose by {@value #EARLY_CHECK_RISE} of the heap since
     * the last check, which a fast leak does within seconds. Costs a comparison; call it on every sample.
     */
    public synchronized boolean dueEarly(SampleBuffer sample) {
        long at = sample.takenAtMillis();
        if (lastCheckAt == Long.MIN_VALUE || pacing.wantsCheck(at)) {
            return true;
        }
        if (!sample.has(Metric.LIVE_SET)) {
            return offHeap.risenSinceLastCheck(sample);
        }
        if (Double.isNaN(liveAtLastCheck)) {
            return true; // without it, the rise below would be NaN, and no check came early until the interval
        }
        double heapMax = sample.get(Metric.HEAP_MAX);
        boolean liveSetRose =
                Double.isFinite(heapMax) && sample.get(Metric.LIVE_SET) - liveAtLastCheck >= heapMax * EARLY_CHECK_RISE;
        return liveSetRose || offHeap.risenSinceLastCheck(sample);
    }

    /** Runs the layers over the window ending at the sample's time. */
    public LeakReport check(SampleBuffer now) {
        return run(now).report();
    }

    /** Runs the layers over the window ending at the sample's time, and tells the verdict it follows. */
    public Check run(SampleBuffer now) {
        Assessment assessment;
        synchronized (this) {
            assessment = assess(now);
        }
        Evidence evidence = gather(assessment);
        synchronized (this) {
            return conclude(assessment, evidence);
        }
    }

    /**
     * What layers 1 to 3 found, and what evidence it calls for.
     *
     * @param rise the live set's rise that counts, if any: not during start-up unless urgent, not one a bounded
     *     structure explains
     * @param suspects layers 2 and 3's: during start-up, only what runs out within {@link #URGENT}
     * @param offHeapPersists whether a rise outside the heap has outlasted what a pool filling explains
     * @param riseOutlastedItsSpan whether the live set's rise went on for a second span (see {@link RiseEpisode#outlastedItsSpan})
     * @param histogramDue whether this check takes a histogram, if it gathers evidence
     */
    private record Assessment(
            Instant at,
            double heapMax,
            double liveNow,
            boolean warmingUp,
            Sliced live,
            @Nullable Rise rise,
            List<LeakReport.Suspect> suspects,
            boolean offHeapPersists,
            boolean riseOutlastedItsSpan,
            @Nullable Long secondsToContainerLimit,
            boolean histogramDue,
            Duration risingFor) {

        static boolean structureGrows(List<LeakReport.Suspect> suspects) {
            return suspects.stream().anyMatch(s -> s.kind() == LeakReport.Kind.RESOURCE);
        }

        static boolean callsForEvidence(
                @Nullable Rise rise, List<LeakReport.Suspect> suspects, @Nullable Long secondsToContainerLimit) {
            return rise != null || !suspects.isEmpty() || secondsToContainerLimit != null;
        }

        boolean structureGrows() {
            return structureGrows(suspects);
        }

        boolean evidenceBeyondTheLiveSet() {
            return !suspects.isEmpty() || secondsToContainerLimit != null;
        }

        boolean callsForEvidence() {
            return callsForEvidence(rise, suspects, secondsToContainerLimit);
        }

        Trend liveTrend() {
            return rise == null ? live.trend() : rise.trend();
        }
    }

    /** What layers 4 and 5 hold for this check. */
    private record Evidence(List<LeakReport.Suspect> classes, List<LeakReport.Suspect> sites) {
        static final Evidence NONE = new Evidence(List.of(), List.of());
    }

    private Assessment assess(SampleBuffer now) {
        long to = now.takenAtMillis();
        long from = to - windowMillis;
        Instant at = Instant.ofEpochMilli(to);
        double heapMax = now.get(Metric.HEAP_MAX);
        double liveNow = now.has(Metric.LIVE_SET) ? now.get(Metric.LIVE_SET) : Double.NaN;
        lastCheckAt = to;
        liveAtLastCheck = liveNow;
        slicer.beginCheck(now);

        boolean warmingUp = startUp.warmingUp(to);
        Sliced live = liveSet.window(to);
        Rise rise = liveSet.rise(to, heapMax, liveNow, classes.verifies());
        long secondsLeft = rise == null ? Long.MAX_VALUE : Rise.secondsToExhaustion(heapMax, liveNow, rise.trend());
        boolean urgent = secondsLeft < URGENT.toSeconds();
        if (rise != null && warmingUp && !urgent) {
            rise = null; // start-up fills pools and caches; only a rise that would end it soon is worth a look
        }
        if (rise != null && explainedByABoundedStructure(rise, to)) {
            rise = null; // a cache warming up: it stops at its bound
        }
        if (rise != null) {
            episode.saw(rise, to);
        }
        Long secondsToContainerLimit = liveSet.secondsToContainerLimit(now);
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        boolean offHeapPersists = offHeap.suspects(now, warmingUp, suspects);
        if (!warmingUp && structures != null) {
            structures.suspects(from, to, suspects);
        }
        pacing.paceFor(rise, urgent, secondsLeft, Assessment.structureGrows(suspects));
        boolean histogramDue = Assessment.callsForEvidence(rise, suspects, secondsToContainerLimit)
                && classes.takesHistograms()
                && pacing.due(to);
        if (histogramDue) {
            pacing.attempted(to);
        }
        return new Assessment(
                at,
                heapMax,
                liveNow,
                warmingUp,
                live,
                rise,
                suspects,
                offHeapPersists,
                rise != null && episode.outlastedItsSpan(liveSet, to, heapMax, windowMillis, slicer.slices()),
                secondsToContainerLimit,
                histogramDue,
                episode.risingFor(to));
    }

    /** Whether a bounded primitive grew by enough over the recent half of the rise's span to explain it. */
    private boolean explainedByABoundedStructure(Rise rise, long to) {
        long half = rise.scaleMillis() / 2;
        return structures != null
                && structures.boundedStructureExplains(
                        to - half, to, rise.trend().slope() * half);
    }

    /**
     * Layers 4 and 5, without the detector's lock: a histogram when one is due, then the classes that grow, then the
     * allocation sites that explain them. An off-heap leak calls for histograms (they may name what holds the native
     * memory) but not for sites: what the heap holds says nothing about it.
     */
    private Evidence gather(Assessment assessment) {
        if (!assessment.callsForEvidence()) {
            sites.forget();
            return Evidence.NONE;
        }
        boolean mine = gathering.tryLock();
        try {
            boolean taken = !mine || !assessment.histogramDue() || classes.take(assessment.at());
            List<LeakReport.Suspect> classSuspects = taken ? classes.suspects() : List.of();
            if (assessment.rise() == null && !assessment.structureGrows() && classSuspects.isEmpty()) {
                sites.forget();
                return new Evidence(classSuspects, List.of());
            }
            List<LeakReport.Suspect> siteSuspects =
                    mine ? sites.suspects(assessment.at(), classSuspects, assessment.risingFor()) : sites.last();
            return new Evidence(classSuspects, siteSuspects);
        } finally {
            if (mine) {
                gathering.unlock();
            }
        }
    }

    private Check conclude(Assessment assessment, Evidence evidence) {
        long to = assessment.at().toEpochMilli();
        boolean liveSetRises = assessment.rise() != null;
        boolean classNamed = !evidence.classes().isEmpty();
        pacing.naming(assessment.structureGrows() && !classNamed && classes.verifies(), to);
        Trend liveTrend = assessment.liveTrend();
        boolean heapLeak = liveSetRises && classes.verified(to, liveTrend.slope(), pacing.paceMillis());
        if (pacing.settle(liveSetRises, heapLeak, to, classes.episodeHistograms())) {
            classes.endEpisode();
            episode.end();
        }
        List<LeakReport.Suspect> suspects = new ArrayList<>(assessment.suspects());
        suspects.addAll(evidence.classes());
        suspects.addAll(evidence.sites());
        if (assessment.warmingUp() && !heapLeak) {
            // While the service starts, classes grow by the hundred: only a verified rise, and what runs out soon,
            // speak.
            suspects = new ArrayList<>(assessment.suspects());
        } else if (pacing.risePending() && !assessment.evidenceBeyondTheLiveSet()) {
            // The histograms were taken for a rise they have not confirmed: a class that grew across them is a
            // bounded structure still filling as often as a leak, and the rise itself is not reported yet either.
            suspects.clear();
        }
        LeakReport judged = Verdicts.judge(new Verdicts.Findings(
                assessment.at(),
                assessment.heapMax(),
                assessment.liveNow(),
                liveTrend,
                assessment.live().points(),
                heapLeak,
                heapLeak && assessment.riseOutlastedItsSpan(),
                assessment.offHeapPersists(),
                assessment.secondsToContainerLimit(),
                suspects));
        LeakReport report = Verdicts.withHolders(judged, holders.get());
        LeakReport.Verdict previous = latest().verdict();
        latest = report;
        history.add(ReportHistory.stripped(report));
        return new Check(report, previous);
    }

    /** Where the holders a heap dump named come from: reports put them first while the verdict is not NONE. */
    public void nameHoldersWith(Supplier<List<LeakReport.Holder>> source) {
        this.holders = source;
    }

    /**
     * Counts classes that memwarden loaded outside this detector, such as its alert sinks, as its own: they are not
     * the service's class loading.
     */
    public void countOwnClassLoads(Instant at, long loaded) {
        ownClasses.note(at, loaded);
    }

    /** Stops layer 5's recording, if it runs one. */
    @Override
    public void close() {
        sites.close();
    }
}
