package dev.memwarden.leak;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.RingBuffer;
import dev.memwarden.bounded.TrackedResource;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.SampleBuffer;
import dev.memwarden.telemetry.Series;
import dev.memwarden.telemetry.Timeline;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/*
 * How memwarden decides that a service leaks.
 *
 * Signals. Heap "used" says little: it saw-tooths with every allocation burst. What a leak moves is the live set, the
 * memory still reachable after a collection, which GcMonitor records after every GC (the old generation and survivors
 * for generational collectors, the whole heap after a ZGC or Shenandoah cycle). Even that rises between major
 * collections as objects are promoted and die in the old generation, so the detector does not fit the raw series: it
 * cuts the analysis window into equal slices and keeps each slice's minimum. A leak raises the floor; promotion noise
 * does not.
 *
 * Statistics. On those minima: the Theil–Sen slope (the median of pairwise slopes, robust to a few wild points) for the
 * growth rate, and the Mann–Kendall test for whether the rise is more than chance. There is no fixed minimum
 * observation time: the live set is looked at over the window and over its halves, quarters and so on down to 20
 * seconds (scales), each cut into the same number of slices, and a rise counts at any scale where it is significant and
 * more than 1 MiB and 1 % of the heap over that span. So a fast leak shows within seconds in a short span, and a slow
 * one, too small to matter over a short span, once a long one holds enough of it. Below the shortest scale, one more
 * span of a second a slice (12 s) counts only a rise that would exhaust the heap within the shortest scale: the
 * shortest needs eight of its slices, about 20 s, to tell a rise from a plateau, and a leak of 10 MB/s in a 256 MB heap
 * has run it out by then (memwarden-bench LeakScenarios: reported at 10 to 12 s of 21 to 25 s, where it was 19 to 22 s,
 * or not before the OOM). The shorter scales are used only where class histograms can verify a rise (below), because
 * within a short span the climb of a sawtooth looks like a leak; while such a rise waits for its histograms, they come
 * closer together: a quarter of its scale, no closer than 5 s. A rise that would exhaust the heap within 10 minutes is
 * urgent: its histograms come a 24th of the time left apart (1 s at least), and it counts even during start-up, because
 * a leak that fast leaves no time to wait, and the histograms tell it from start-up's own growth. Each histogram that
 * does not confirm a rise doubles their spacing, up to the set interval: the climb of a sawtooth shows as a rise again
 * and again. Three things that look like leaks are excluded: a plateau (the second half of the span no longer rises), a
 * rise that a bounded primitive explains over that second half (a cache warming up, which stops at its bound), and
 * warm-up (classes are still being loaded, as at start, unless the rise is urgent; once loading has settled, start-up
 * is over for good). Native memory (RSS minus committed heap) is judged only over a nearly full window, since the JVM's
 * own JIT and GC structures grow it for minutes after start, only once the committed heap is resident and holds still
 * (RSS also rises as heap pages are first touched, and lags behind the heap's resizing), and only once the code cache
 * has stopped growing: the JIT's arenas raise RSS for as long as it compiles a service's hot paths.
 *
 * Verification. Where layer 4 can take histograms, a rise of the live set alone is held back until three
 * histograms confirm it: each one runs a full collection, so its total is the true live heap, which promoted
 * garbage cannot inflate. A rise that also shows in a registered structure or off-heap is reported at once. Three
 * rising totals are not enough where histograms keep coming for a rise that is not one: under a collector that clears
 * its old generation only in full collections (Parallel, Serial), a sawtooth of large temporaries is promoted and
 * raises the floor, and three histograms of its true cycle rise in a row one time in six. So the totals since the
 * live set was last quiet (the episode) must rise too: the latest above all of them, with a Mann–Kendall trend. A
 * swing stays within its bounds; a leak passes them. The three themselves are the episode's: one from before the
 * quiet belongs to another rise. Histograms never come so close that three cannot show 1 MiB of growth at the
 * rise's slope.
 *
 * Layers, cheap first. 1: the live-set trend, with time to heap exhaustion and, from the RSS trend, time to the
 * container limit (the kernel OOM kill with the heap mostly free). 2: off-heap trends: direct buffers,
 * metaspace and classes, threads, file descriptors, and native memory (RSS minus committed heap). 3: every
 * structure in the ResourceRegistry that has no bound of its own. All three read only the in-memory timeline and
 * registry. Measured (memwarden-bench LeakCheckBenchmark): about 50 µs median (seven spans of the live set) and
 * 98 KB of garbage per check, plus about 10 µs and 17 KB per registered structure, mostly the Series points the
 * ranges return; it runs on the sampler thread every leak interval (a minute), and sooner when the live set rose by
 * a twentieth of the heap since the last check or a rise waits for its histograms (dueEarly, asked every sample).
 * 4: class histograms (GC.class_histogram), taken only when 1-3 already suspect a leak, because a histogram
 * runs a full GC and walks the heap with the JVM stopped; at most one per histogram interval, the top 500
 * classes by bytes kept from each of the last three. A class that grew in instances and bytes across both of
 * the last two intervals is a CLASS suspect. While a registered structure grows and no class is named yet, histograms
 * come 5 s apart, then twice as far for each after the third that names nothing, up to the interval: at the interval,
 * naming what a structure holds took two of them (10 minutes at the default), and layer 5 waits for it; three full
 * GCs in 10 s are the same price a fast rise pays. 5: allocation sites (AllocationSites), read at most once per
 * histogram interval once layer 4 names growing classes: the JFR recording is dumped to a temporary file and
 * read back on the checking thread, its search for paths to GC roots cut off at 1 s. While the live set rises, the
 * samples are weighed by how long it has risen (from the earliest data of the rises seen this episode): only sites
 * where some samples lived through half of it count, since a service's bounded churn can outnumber a leak among the
 * objects alive, but is young. Heap dumps (HeapDumps) are an operator's tool, never taken by the detector.
 *
 * Threading: check() may be called from any thread; it is synchronized, and keeps the last 64 reports, each
 * bounded in bytes (footprintBytes()).
 */

/**
 * Decides from the timeline and the resource registry whether the service leaks, and names what grows. See the
 * design notes at the top of the source file.
 */
public final class LeakDetector implements AutoCloseable {
    static final double SUSPECT_CONFIDENCE = 0.99;
    static final double CONFIRM_CONFIDENCE = 0.999;
    static final int MIN_SLICES = 6;
    private static final double MS_PER_HOUR = 3_600_000;

    /** Takes a class histogram; the JVM's own unless a test supplies one. */
    @FunctionalInterface
    interface HistogramSource {
        ClassHistogram take(Instant at);
    }

    static final int HISTOGRAM_CLASSES = 500;
    private static final System.Logger LOG = System.getLogger(LeakDetector.class.getName());
    /** How often layer 5 may dump its recording when class histograms are off and set no interval. */
    static final Duration DEFAULT_ALLOCATION_INTERVAL = Duration.ofMinutes(5);

    private static final ClassLoadingMXBean CLASS_LOADING = ManagementFactory.getClassLoadingMXBean();
    private static final int CLASS_SUSPECTS = 5;
    /** Less growth than this across two histogram intervals is churn, not a class worth naming. */
    static final long MIN_CLASS_GROWTH = 64 * 1024;

    private static final int HISTORY = 64;

    private static final int OWN_LOADS = 64;

    /** The least growth across three histograms that confirms a rise of the live set. */
    static final long MIN_VERIFIED_GROWTH = 1 << 20;

    /** How many histogram totals of a rise's episode its verification looks back on. */
    static final int EPISODE_HISTOGRAMS = 16;

    /** The Mann–Kendall confidence the totals of a longer episode must show for its rise to stand. */
    static final double EPISODE_CONFIDENCE = 0.95;

    /** The shortest span a live-set trend is looked for in: a leak that fast exhausts a small heap in a minute. */
    static final Duration SHORTEST_SCALE = Duration.ofSeconds(20);

    /** Start-up is over once class loading settled over this span (or the window, if shorter). */
    static final Duration WARM_UP_SCALE = Duration.ofMinutes(1);

    /** The closest histograms come while a fast rise waits for them: each is a full GC with the JVM stopped. */
    static final Duration FASTEST_HISTOGRAMS = Duration.ofSeconds(5);

    /**
     * A rise that exhausts the heap sooner than this is urgent: it is reported even while the service starts, and its
     * histograms come closer than {@link #FASTEST_HISTOGRAMS}. A leak that fast leaves no time to wait for start-up.
     */
    static final Duration URGENT = Duration.ofMinutes(10);

    /** The closest histograms ever come, for a rise that exhausts the heap within seconds. */
    static final Duration URGENT_HISTOGRAMS = Duration.ofSeconds(1);

    /** A rise of the live set by this share of the heap since the last check calls for the next one at once. */
    static final double EARLY_CHECK_RISE = 0.05;

    private final Timeline timeline;
    private final @Nullable ResourceRegistry resources;
    private final Duration window;
    private final int slices;
    private final @Nullable HistogramSource histograms;
    private final long histogramIntervalMillis;
    private final ClassHistogram[] recentHistograms = new ClassHistogram[3];
    private int histogramCount;
    private long lastHistogramAttempt = Long.MIN_VALUE;
    private boolean warmedUp;
    private boolean histogramsUnavailable;
    private long startUpEndedAt = Long.MIN_VALUE;
    private final @Nullable AllocationSource allocations;
    private final long allocationIntervalMillis;
    private long lastAllocationAttempt = Long.MIN_VALUE;
    /** The allocation sites of the last dump, reported again while the suspicion lasts. */
    private List<LeakReport.Suspect> lastSites = List.of();
    /**
     * When memwarden loaded classes for its histograms, dumps and alerts, and how many, oldest first: the first of each
     * loads tens to hundreds (the JFR parser's, the alert sinks' logging), which must neither keep start-up going nor
     * read as the service's class loading within the window. Past {@value #OWN_LOADS} loads, the oldest merge.
     */
    private final long[] ownLoadTimes = new long[OWN_LOADS];

    private final long[] ownLoadCounts = new long[OWN_LOADS];
    private int ownLoads;

    private final RingBuffer<LeakReport> history;
    private @Nullable LeakReport latest;
    /** This check's slicing of each metric: several layers read RSS and loaded classes. */
    private final Map<SliceKey, Sliced> slicedThisCheck = new HashMap<>();

    private record SliceKey(Metric metric, long from) {}

    /** The spans the live set's trend is looked for in, longest first: the window, then halves of it. */
    private final long[] scalesMillis;

    /**
     * A span shorter than the shortest of {@link #scalesMillis}, a second a slice, where only an imminent rise counts:
     * one that would exhaust the heap before the shortest scale could show it. 0 where the window has no room for it.
     */
    private final long imminentScaleMillis;

    /** Histograms come this often while a rise at a short scale waits for them; the set interval otherwise. */
    private long histogramPaceMillis;

    /** A rise of the live set was seen and waits for its histograms: the next check is due at their pace. */
    private boolean risePending;

    /**
     * A registered structure grows, and the histograms have not yet named a class that grows with it: the next check
     * is due at their pace, which starts at {@link #FASTEST_HISTOGRAMS}. Until a class is named, layer 5 cannot say
     * where the structure's entries are allocated, and at the set interval that takes two of them.
     */
    private boolean namingPending;

    /**
     * Histograms taken while a structure grew and no class was named: from the fourth on, each doubles their pace, up
     * to the set interval. A structure that grows by a few entries a minute shows no class growth over seconds.
     */
    private int namingTakes;

    /**
     * Histograms in a row that did not confirm a rise: each doubles their pace, up to the set interval. The climb of a
     * sawtooth shows as a rise again and again, and every histogram is a full GC.
     */
    private int refutations;

    /**
     * The totals of the last {@value #EPISODE_HISTOGRAMS} histograms taken since the live set was last quiet for a
     * whole interval, oldest first from {@code episodeCount % EPISODE_HISTOGRAMS} once the ring is full. A live set
     * that swings with a cycle (a sawtooth of large temporaries) gives three rising totals by chance, one time in six,
     * and histograms come again and again while the floor of its promoted garbage looks like a rise; but its totals
     * stay within its swing and show no trend across the episode, where a leak's pass every earlier one.
     */
    private final long[] episodeTotals = new long[EPISODE_HISTOGRAMS];

    private int episodeCount;

    /**
     * Where the live set's rise in this episode shows from, at the earliest, or {@link Long#MIN_VALUE} outside one.
     * Layer 5 weighs its samples by it: a leak holds objects from all through the rise, a service's bounded churn
     * only young ones.
     */
    private long riseBeganAt = Long.MIN_VALUE;

    private long lastCheckAt = Long.MIN_VALUE;
    private double liveAtLastCheck = Double.NaN;

    /**
     * The metaspace each of memwarden's own classes is taken to use: the average per loaded class at this check.
     * Measured on JDK 17 and 25, the JMX server's and the JFR parser's took 4 to 5 KB each, near a service's average.
     */
    private double metaspacePerClass = Double.NaN;

    /**
     * @param histogramInterval the least time between two class histograms (layer 4), or null to never take one
     */
    public LeakDetector(
            Timeline timeline,
            @Nullable ResourceRegistry resources,
            Duration window,
            int slices,
            @Nullable Duration histogramInterval,
            boolean allocationSites) {
        this(
                timeline,
                resources,
                window,
                slices,
                histogramInterval == null ? null : at -> ClassHistogram.take(at, HISTOGRAM_CLASSES),
                histogramInterval == null ? Duration.ZERO : histogramInterval,
                allocationSites ? startAllocationSites() : null);
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
        this.timeline = timeline;
        this.resources = resources;
        this.window = window;
        this.slices = slices;
        this.histograms = histograms;
        this.histogramIntervalMillis = histogramInterval.toMillis();
        this.histogramPaceMillis = histogramIntervalMillis;
        this.scalesMillis = scales(window, slices);
        this.imminentScaleMillis = imminentScale(scalesMillis, slices);
        this.allocations = allocations;
        this.allocationIntervalMillis =
                histogramInterval.isZero() ? DEFAULT_ALLOCATION_INTERVAL.toMillis() : histogramInterval.toMillis();
        this.history =
                RingBuffer.builder().name("leak-reports").capacity(HISTORY).build();
    }

    /**
     * The window and its halves down to {@link #SHORTEST_SCALE}, longest first; each cut into the same number of
     * slices, so a slice of the shortest still spans a sample or more.
     */
    static long[] scales(Duration window, int slices) {
        long shortest = Math.max(SHORTEST_SCALE.toMillis(), slices * 1_500L);
        List<Long> scales = new ArrayList<>();
        scales.add(window.toMillis());
        for (long scale = window.toMillis() / 2; scale >= shortest; scale /= 2) {
            scales.add(scale);
        }
        return scales.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The span of {@code slices} seconds, if shorter than the shortest scale: at a sample a second, the shortest whose
     * slices each hold one, so that their minima still skip the odd sample taken before a collection.
     */
    static long imminentScale(long[] scales, int slices) {
        long span = slices * 1_000L;
        return span < scales[scales.length - 1] ? span : 0;
    }

    /** The most the class histograms of layer 4 hold: the last three, {@value #HISTOGRAM_CLASSES} classes each. */
    public static long histogramFootprintBytes() {
        return 3 * ClassHistogram.footprintBytes(HISTOGRAM_CLASSES);
    }

    /**
     * The most this detector holds: its histograms, the latest report in full and {@value #HISTORY} reports of
     * history, which keep their top suspects but not their allocation stacks and root paths.
     */
    public static long footprintBytes() {
        return histogramFootprintBytes() + reportsFootprintBytes();
    }

    /** The most the latest report and the history hold. */
    public static long reportsFootprintBytes() {
        return LeakReport.footprintBytes(false)
                + AllocationSites.MAX_SUSPECTS * LeakReport.suspectFootprintBytes(true)
                + HISTORY * LeakReport.footprintBytes(true)
                + 64
                + 16
                + 4L * HISTORY; // the ring buffer and its array
    }

    /** The latest report; NONE before the first check. */
    public synchronized LeakReport latest() {
        LeakReport report = latest;
        return report == null ? LeakReport.none(Instant.EPOCH, 0, 0) : report;
    }

    /** The last reports, oldest first, at most {@value #HISTORY}; each keeps its top suspects, without traces. */
    public List<LeakReport> history() {
        return history.snapshot();
    }

    /**
     * Whether a check is due before the set interval has passed: the first one, and the first with a live set (the
     * first check usually comes before the first GC); while a rise of the live set or a growing structure waits for
     * its histograms, when the next is due; and once the live set rose by {@value #EARLY_CHECK_RISE} of the heap since
     * the last check, which a fast leak does within seconds. Costs a comparison; call it on every sample.
     */
    public synchronized boolean dueEarly(SampleBuffer sample) {
        long at = sample.takenAtMillis();
        if (lastCheckAt == Long.MIN_VALUE) {
            return true;
        }
        if ((risePending || namingPending)
                && (lastHistogramAttempt == Long.MIN_VALUE || at - lastHistogramAttempt >= histogramPaceMillis)) {
            return true; // the next histogram is due
        }
        if (!sample.has(Metric.LIVE_SET)) {
            return false;
        }
        if (Double.isNaN(liveAtLastCheck)) {
            return true; // without it, the rise below would be NaN, and no check came early until the interval
        }
        double heapMax = sample.get(Metric.HEAP_MAX);
        return Double.isFinite(heapMax) && sample.get(Metric.LIVE_SET) - liveAtLastCheck >= heapMax * EARLY_CHECK_RISE;
    }

    /** Runs layers 1 to 3 over the window ending at the sample's time. */
    public synchronized LeakReport check(SampleBuffer now) {
        long to = now.takenAtMillis();
        long from = to - window.toMillis();
        slicedThisCheck.clear();
        Instant at = Instant.ofEpochMilli(to);
        double heapMax = now.get(Metric.HEAP_MAX);
        double liveNow = now.has(Metric.LIVE_SET) ? now.get(Metric.LIVE_SET) : Double.NaN;
        lastCheckAt = to;
        liveAtLastCheck = liveNow;
        metaspacePerClass = now.get(Metric.METASPACE_USED) / now.get(Metric.CLASSES_LOADED);
        List<LeakReport.Suspect> suspects = new ArrayList<>();

        boolean warmingUp = warmingUp(to);
        Sliced live = slice(Metric.LIVE_SET, from, to);
        Rise rise = liveSetRise(to, heapMax, liveNow);
        long secondsLeft = rise == null ? Long.MAX_VALUE : secondsToExhaustion(heapMax, liveNow, rise.trend());
        boolean urgent = secondsLeft < URGENT.toSeconds();
        if (rise != null && warmingUp && !urgent) {
            rise = null; // start-up fills pools and caches; only a rise that would end it soon is worth a look
        }
        if (rise != null
                && boundedStructureExplains(
                        to - rise.scaleMillis() / 2, to, rise.trend().slope() * rise.scaleMillis() / 2)) {
            rise = null; // a cache warming up: it stops at its bound
        }
        Trend liveTrend = rise == null ? live.trend() : rise.trend();
        double growthPerHour = liveTrend.slope() * MS_PER_HOUR;
        boolean liveSetRises = rise != null;
        if (rise != null) {
            riseBeganAt = riseBeganAt == Long.MIN_VALUE ? rise.beganAt() : Math.min(riseBeganAt, rise.beganAt());
        }
        histogramPaceMillis = rise == null ? histogramIntervalMillis : histogramPace(rise, urgent, secondsLeft);
        Long timeToContainer = timeToContainerLimit(now, from, to);

        if (!warmingUp) {
            offHeapSuspects(from, to, suspects);
            resourceSuspects(from, to, suspects);
        }
        boolean structureGrows = suspects.stream().anyMatch(s -> s.kind() == LeakReport.Kind.RESOURCE);
        if (structureGrows && namingPending) {
            histogramPaceMillis = Math.min(histogramPaceMillis, namingPace());
        }
        boolean evidenceBeyondTheLiveSet = !suspects.isEmpty() || timeToContainer != null;
        boolean classNamed = false;
        if (liveSetRises || evidenceBeyondTheLiveSet) {
            classSuspects(at, suspects);
            classNamed = suspects.stream().anyMatch(s -> s.kind() == LeakReport.Kind.CLASS);
            if (liveSetRises || structureGrows || classNamed) {
                allocationSuspects(at, suspects);
            } else {
                lastSites = List.of(); // an off-heap leak: what the heap holds says nothing about it
            }
        } else {
            lastSites = List.of();
        }
        namingPending = structureGrows && !classNamed && histograms != null && !histogramsUnavailable;
        namingTakes = namingPending ? namingTakes + (lastHistogramAttempt == to ? 1 : 0) : 0;
        if (namingPending) {
            histogramPaceMillis = Math.min(histogramPaceMillis, namingPace());
        }
        boolean heapLeak = liveSetRises && liveSetGrowthVerified(at, liveTrend.slope());
        risePending = liveSetRises && !heapLeak;
        if (heapLeak) {
            refutations = 0;
        } else if (risePending && lastHistogramAttempt == to && episodeCount >= 3) {
            refutations++;
        } else if (!liveSetRises && to - lastHistogramAttempt >= histogramIntervalMillis) {
            refutations = 0; // quiet for a whole interval: the next rise is judged afresh
            episodeCount = 0;
            riseBeganAt = Long.MIN_VALUE;
        }
        if (warmingUp && !heapLeak) {
            suspects.clear(); // while the service starts, classes grow by the hundred: only a verified rise speaks
        } else if (risePending && !evidenceBeyondTheLiveSet) {
            // The histograms were taken for a rise they have not confirmed: a class that grew across them is a
            // bounded structure still filling as often as a leak, and the rise itself is not reported yet either.
            suspects.clear();
        }

        Long timeToExhaustion = null;
        if (heapLeak && growthPerHour > 0) {
            long seconds = secondsToExhaustion(heapMax, liveNow, liveTrend);
            timeToExhaustion = seconds == Long.MAX_VALUE ? null : seconds;
        }
        suspects.sort(Comparator.comparingDouble(
                        (LeakReport.Suspect s) -> s.growthBytesPerHour() == null ? -1 : s.growthBytesPerHour())
                .reversed()
                .thenComparing(Comparator.comparingDouble(
                                (LeakReport.Suspect s) -> s.growthCountPerHour() == null ? -1 : s.growthCountPerHour())
                        .reversed()));

        double confidence = heapLeak ? liveTrend.confidence() : 0;
        LeakReport.Verdict verdict;
        if (heapLeak && liveTrend.confidence() >= CONFIRM_CONFIDENCE) {
            verdict = LeakReport.Verdict.CONFIRMED;
        } else if (heapLeak || !suspects.isEmpty() || timeToContainer != null) {
            verdict = LeakReport.Verdict.SUSPECTED;
            confidence = Math.max(confidence, SUSPECT_CONFIDENCE);
        } else {
            verdict = LeakReport.Verdict.NONE;
            confidence = live.points() < MIN_SLICES ? 0 : 1 - liveTrend.confidence();
        }
        LeakReport report = new LeakReport(
                verdict,
                Math.max(0, Math.min(1, confidence)),
                at,
                new LeakReport.LiveSet(
                        Double.isFinite(liveNow) ? (long) liveNow : 0,
                        heapLeak ? growthPerHour : 0,
                        timeToExhaustion,
                        timeToContainer),
                suspects);
        latest = report;
        history.add(report.forHistory());
        return report;
    }

    /** A rise of the live set, the span it shows in, and the time of that span's first data. */
    private record Rise(long scaleMillis, Trend trend, long beganAt) {}

    /** When the heap runs out at this trend; {@link Long#MAX_VALUE} if it does not rise or the figures are unknown. */
    private static long secondsToExhaustion(double heapMax, double liveNow, Trend trend) {
        if (!Double.isFinite(heapMax) || !Double.isFinite(liveNow) || trend.slope() <= 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.max(0, (heapMax - liveNow) / trend.slope() / 1000);
    }

    /**
     * How far apart histograms come while a rise waits for them: a quarter of its span, no closer than {@link
     * #FASTEST_HISTOGRAMS}; for an urgent rise, a 24th of the time the heap has left, no closer than {@link
     * #URGENT_HISTOGRAMS}, so that the three that confirm it span a twelfth of that time. Doubled for each histogram in
     * a row that did not confirm a rise, up to the set interval. Never so close that three of them could not show
     * {@link #MIN_VERIFIED_GROWTH} at the rise's slope, up to half its span: a slow leak, checked often, would otherwise
     * be refuted by every set of three, each a full GC.
     */
    private long histogramPace(Rise rise, boolean urgent, long secondsLeft) {
        long pace = Math.min(histogramIntervalMillis, Math.max(FASTEST_HISTOGRAMS.toMillis(), rise.scaleMillis() / 4));
        if (urgent) {
            pace = Math.min(pace, Math.max(URGENT_HISTOGRAMS.toMillis(), secondsLeft * 1000 / 24));
        }
        pace = Math.min(histogramIntervalMillis, pace << Math.min(refutations, 20));
        double measurable = MIN_VERIFIED_GROWTH / 2.0 / rise.trend().slope();
        return Math.max(pace, (long) Math.min(measurable, rise.scaleMillis() / 2.0));
    }

    /**
     * How far apart histograms come while a growing structure waits for them to name a class: three at {@link
     * #FASTEST_HISTOGRAMS}, then twice as far for each that named nothing, up to the set interval.
     */
    private long namingPace() {
        int doublings = Math.min(20, Math.max(0, namingTakes - 2));
        return Math.min(histogramIntervalMillis, FASTEST_HISTOGRAMS.toMillis() << doublings);
    }

    /**
     * Layer 1 at every scale: a rise that is significant, meaningful for its span (more than 1 MiB and 1 % of the
     * heap over it) and not levelling off. A fast leak shows first in the short spans, a slow one only in the long;
     * of the scales that show one, the most certain speaks. Below the shortest scale, the imminent span counts a rise
     * only if it would exhaust the heap within the shortest scale: by the time that span holds the eight slices a
     * trend needs to be told from a plateau (about 20 s), such a leak has run the heap out.
     */
    private @Nullable Rise liveSetRise(long to, double heapMax, double liveNow) {
        double least = Math.max(1 << 20, (Double.isFinite(heapMax) ? heapMax : 0) * 0.01);
        // Within a short span, the climb of a sawtooth (temporaries promoted, then collected) looks like a leak; only
        // histograms, each after a full collection, tell them apart. Without them only the window speaks.
        boolean verifiable = histograms != null && !histogramsUnavailable;
        Rise best = null;
        for (int i = 0; i < (verifiable ? scalesMillis.length : 1); i++) {
            best = moreCertain(best, riseOver(scalesMillis[i], to, least));
        }
        if (verifiable && imminentScaleMillis > 0) {
            Rise imminent = riseOver(imminentScaleMillis, to, least);
            long shortestScaleSeconds = scalesMillis[scalesMillis.length - 1] / 1000;
            if (imminent != null && secondsToExhaustion(heapMax, liveNow, imminent.trend()) < shortestScaleSeconds) {
                best = moreCertain(best, imminent);
            }
        }
        return best;
    }

    /** A significant rise of the live set over the last {@code scale}, more than {@code least}, not levelling off. */
    private @Nullable Rise riseOver(long scale, long to, double least) {
        Sliced live = slice(Metric.LIVE_SET, to - scale, to);
        Trend trend = live.trend();
        boolean rises =
                trend.confidence() >= SUSPECT_CONFIDENCE && trend.slope() * scale > least && !live.plateau(trend);
        return rises ? new Rise(scale, trend, (long) live.times[0]) : null;
    }

    private static @Nullable Rise moreCertain(@Nullable Rise a, @Nullable Rise b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return b.trend().confidence() > a.trend().confidence() ? b : a;
    }

    /**
     * A cache, ring buffer, queue or client registry: it evicts, overwrites, drops, spills or refuses at its bound,
     * so its growth stops there, and is warm-up while it fills. Never a growth suspect itself; what it holds still
     * shows in the live set and the histograms.
     */
    private static boolean holdsItsOwnBound(TrackedResource resource) {
        return switch (resource.kind()) {
            case CACHE, RING_BUFFER, QUEUE, CLIENTS -> true;
            case TIMERS, LISTENERS, TRACKER, WATCHED -> false;
        };
    }

    /**
     * Whether a bounded primitive explains a rise of the live set over [from, to], as a cache warming up does: it
     * grew by half the rise or more where it knows its bytes, or by a tenth of its capacity where it counts entries.
     * Its growth ends at its bound, whether or not the span saw it get there. Asked for the recent half of a rise's
     * span, where the live set still rises (or it would be a plateau): a structure that reached its bound before then
     * explains none of that. Over the whole span, a ring buffer of 100 short strings that filled at its start
     * explained away a leak of 40 MiB for as long as the window reached back to it.
     */
    private boolean boundedStructureExplains(long from, long to, double liveGrowthBytes) {
        ResourceRegistry registry = resources;
        if (registry == null) {
            return false;
        }
        for (TrackedResource resource : registry.resources()) {
            if (!holdsItsOwnBound(resource) || resource.size() <= 0) {
                continue;
            }
            Optional<List<Series.Point>> points =
                    registry.history(resource.name(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
            if (points.isEmpty() || points.get().size() < 2) {
                continue;
            }
            List<Series.Point> series = points.get();
            double grownEntries =
                    series.get(series.size() - 1).min() - series.get(0).min();
            if (grownEntries <= 0) {
                continue;
            }
            if (resource.estimatedBytes().isPresent()) {
                double perEntry = resource.estimatedBytes().getAsLong() / (double) resource.size();
                if (grownEntries * perEntry >= liveGrowthBytes / 2) {
                    return true;
                }
            } else if (resource.capacity().isPresent()
                    && grownEntries >= resource.capacity().getAsLong() / 10.0) {
                return true;
            }
        }
        return false;
    }

    /** This detector's own histograms and the timeline: growing while it looks, bounded, never the leak. */
    private static boolean ownBookkeeping(String histogramName) {
        return histogramName.startsWith("dev.memwarden.leak.") || histogramName.startsWith("dev.memwarden.telemetry.");
    }

    /**
     * Whether class histograms, where they are taken, confirm that the live set really grows. Each histogram runs a
     * full collection, so its total is the true live heap; the post-GC floor of layer 1 can rise with objects that
     * were promoted and died in the old generation, until a concurrent cycle or a full GC clears them. The rise
     * stands once the last three histograms, all taken since the live set was last quiet (its episode) and the latest
     * recent, grew in both intervals, by at least 1 MiB and a tenth of what the slope predicts (garbage inflates the
     * slope of a real leak too), and where more were taken in the episode, the latest passed all of them and they show
     * a trend; until then it is pending, not reported.
     */
    private boolean liveSetGrowthVerified(Instant at, double slopePerMilli) {
        if (histograms == null || histogramsUnavailable) {
            return true; // nothing to verify with: layer 1 stands alone
        }
        if (episodeCount < 3) {
            return false; // a histogram from before the live set went quiet belongs to another rise
        }
        ClassHistogram oldest = recentHistograms[histogramCount % 3];
        ClassHistogram middle = recentHistograms[(histogramCount + 1) % 3];
        ClassHistogram latestTake = recentHistograms[(histogramCount + 2) % 3];
        if (oldest == null || middle == null || latestTake == null) {
            return false;
        }
        if (at.toEpochMilli() - latestTake.takenAt().toEpochMilli() > 2 * histogramPaceMillis) {
            return false;
        }
        long first = oldest.totalBytes();
        long second = middle.totalBytes();
        long third = latestTake.totalBytes();
        double predicted = slopePerMilli
                * (latestTake.takenAt().toEpochMilli() - oldest.takenAt().toEpochMilli());
        return second > first
                && third > second
                && third - first >= Math.max(MIN_VERIFIED_GROWTH, predicted / 10)
                && risesAcrossTheEpisode();
    }

    /**
     * Whether the totals of this rise's episode, where it holds more than the last three histograms, rise beyond
     * chance: the latest passes every earlier one, and Mann–Kendall finds a trend across all of them.
     */
    private boolean risesAcrossTheEpisode() {
        int n = Math.min(episodeCount, EPISODE_HISTOGRAMS);
        if (n <= 3) {
            return true; // the three rising totals are the whole episode
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

    /**
     * Counts classes that memwarden loaded outside this detector, such as its alert sinks, as its own: they are not
     * the service's class loading.
     */
    public synchronized void countOwnClassLoads(Instant at, long loaded) {
        noteOwnClasses(at, loaded);
    }

    private void noteOwnClasses(Instant at, long loaded) {
        if (loaded <= 0) {
            return;
        }
        if (ownLoads == OWN_LOADS) {
            // The two oldest become one at the later time: between the two, the earlier one's classes count as the
            // service's, which matters only where 64 loads came within a window.
            ownLoadCounts[1] += ownLoadCounts[0];
            System.arraycopy(ownLoadTimes, 1, ownLoadTimes, 0, OWN_LOADS - 1);
            System.arraycopy(ownLoadCounts, 1, ownLoadCounts, 0, OWN_LOADS - 1);
            ownLoads--;
        }
        ownLoadTimes[ownLoads] = at.toEpochMilli();
        ownLoadCounts[ownLoads] = loaded;
        ownLoads++;
    }

    /**
     * Classes memwarden loaded before {@code millis}, or a little later where old loads merged. A load is noted at
     * the time of the check that made it, after that check's sample: the sample of that time does not hold it.
     */
    private long ownClassesLoadedBefore(long millis) {
        long loaded = 0;
        for (int i = 0; i < ownLoads; i++) {
            if (ownLoadTimes[i] < millis) {
                loaded += ownLoadCounts[i];
            }
        }
        return loaded;
    }

    /** Layer 5: the recording's allocation sites, dumped when the interval allows, joined with layer 4's classes. */
    private void allocationSuspects(Instant at, List<LeakReport.Suspect> suspects) {
        AllocationSource source = allocations;
        if (source == null) {
            return;
        }
        Set<String> growing = new HashSet<>();
        for (LeakReport.Suspect s : suspects) {
            if (s.kind() == LeakReport.Kind.CLASS) {
                growing.add(s.name()); // already a Java name: ClassHistogram.className
            }
        }
        // With class histograms on, wait for them to name what grows: what is alive is not necessarily what leaks.
        boolean joinable = histograms == null || !growing.isEmpty();
        if (joinable
                && (lastAllocationAttempt == Long.MIN_VALUE
                        || at.toEpochMilli() - lastAllocationAttempt >= allocationIntervalMillis)) {
            lastAllocationAttempt = at.toEpochMilli();
            long classesBefore = CLASS_LOADING.getTotalLoadedClassCount();
            Duration risingFor = riseBeganAt == Long.MIN_VALUE
                    ? Duration.ZERO
                    : Duration.ofMillis(Math.max(0, at.toEpochMilli() - riseBeganAt));
            List<LeakReport.Suspect> sites = source.suspects(growing, risingFor);
            noteOwnClasses(at, CLASS_LOADING.getTotalLoadedClassCount() - classesBefore);
            lastSites = List.copyOf(sites.subList(0, Math.min(AllocationSites.MAX_SUSPECTS, sites.size())));
        }
        suspects.addAll(lastSites);
    }

    /** Stops layer 5's recording, if it runs one. */
    @Override
    public void close() {
        if (allocations instanceof AllocationSites sites) {
            sites.close();
        }
    }

    /** Layer 4: a histogram if the interval allows, then the classes that grew across both recent intervals. */
    private void classSuspects(Instant at, List<LeakReport.Suspect> suspects) {
        HistogramSource source = histograms;
        if (source == null) {
            return;
        }
        // Attempts are rate-limited, not only successes: a histogram that fails must not be retried every check.
        if (lastHistogramAttempt == Long.MIN_VALUE || at.toEpochMilli() - lastHistogramAttempt >= histogramPaceMillis) {
            lastHistogramAttempt = at.toEpochMilli();
            try {
                long classesBefore = CLASS_LOADING.getTotalLoadedClassCount();
                ClassHistogram taken = source.take(at);
                recentHistograms[histogramCount % 3] = taken;
                episodeTotals[episodeCount++ % EPISODE_HISTOGRAMS] = taken.totalBytes();
                noteOwnClasses(at, CLASS_LOADING.getTotalLoadedClassCount() - classesBefore);
                histogramsUnavailable = false;
                histogramCount++;
            } catch (RuntimeException e) {
                histogramsUnavailable = true;
                return; // no DiagnosticCommand (not HotSpot): layer 4 is simply unavailable
            }
        }
        if (histogramCount < 3) {
            return;
        }
        ClassHistogram oldest = recentHistograms[histogramCount % 3];
        ClassHistogram middle = recentHistograms[(histogramCount + 1) % 3];
        ClassHistogram latestTake = recentHistograms[(histogramCount + 2) % 3];
        if (oldest == null || middle == null || latestTake == null) {
            return;
        }
        Map<String, ClassHistogram.Growth> firstInterval = new HashMap<>();
        for (ClassHistogram.Growth g : middle.grownSince(oldest)) {
            firstInterval.put(g.name(), g);
        }
        double hours = (latestTake.takenAt().toEpochMilli() - oldest.takenAt().toEpochMilli()) / MS_PER_HOUR;
        int added = 0;
        for (ClassHistogram.Growth g : latestTake.grownSince(middle)) {
            ClassHistogram.Growth earlier = firstInterval.get(g.name());
            if (earlier == null
                    || added >= CLASS_SUSPECTS
                    || hours <= 0
                    || g.bytes() + earlier.bytes() < MIN_CLASS_GROWTH
                    || ownBookkeeping(g.name())) {
                continue;
            }
            ClassHistogram.Entry then = oldest.classes().get(g.name());
            ClassHistogram.Entry now = latestTake.classes().get(g.name());
            long bytes = g.bytes() + earlier.bytes();
            long instances = g.instances() + earlier.instances();
            String name = ClassHistogram.className(g.name());
            suspects.add(new LeakReport.Suspect(
                    LeakReport.Kind.CLASS,
                    name,
                    bytes / hours,
                    instances / hours,
                    String.format(
                            Locale.ROOT,
                            "%s grew in both of the last two histogram intervals: %d to %d instances, %s to %s",
                            name,
                            then == null ? 0 : then.instances(),
                            now == null ? instances : now.instances(),
                            LeakReport.bytes(then == null ? 0 : then.bytes()),
                            LeakReport.bytes(now == null ? bytes : now.bytes())),
                    "find what keeps the " + name + " instances: a heap dump shows the path from their GC root;"
                            + " the allocation-site layer will name where they are created",
                    null,
                    null));
            added++;
        }
    }

    /**
     * Classes still being loaded in the second half of the last minute (or the shortest span over a minute that
     * the samples fill, or the window): the service is starting, not leaking.
     */
    private boolean warmingUp(long to) {
        if (warmedUp) {
            return false;
        }
        // Judged over the shortest span of a minute or more whose slices all hold samples (a minute at one sample a
        // second), else over the window.
        long from = to - window.toMillis();
        Sliced whole = slice(Metric.CLASSES_LOADED, from, to);
        Sliced classes = whole;
        List<Long> spans = new ArrayList<>();
        spans.add(WARM_UP_SCALE.toMillis());
        for (int i = scalesMillis.length - 1; i > 0; i--) {
            spans.add(scalesMillis[i]);
        }
        for (long span : spans) {
            Sliced shorter = slice(Metric.CLASSES_LOADED, to - span, to);
            if (span >= WARM_UP_SCALE.toMillis() && span < window.toMillis() && shorter.points() == slices) {
                classes = shorter;
                break;
            }
        }
        if (classes.points() < MIN_SLICES) {
            return true;
        }
        double[] y = classes.values;
        double mid = y[y.length / 2];
        double last = y[y.length - 1];
        // Settled: under one class a second since the middle of the span (a service's first requests load classes
        // by the hundred a second; afterwards a new code path loads a few).
        double settled = Math.max(50, (classes.times[y.length - 1] - classes.times[y.length / 2]) / 1000);
        // Start-up ends once class loading has settled, for good: classes loaded later (a feature first used, a class
        // loader leak) are not start-up. What memwarden loaded itself is not in the series: its first histogram loads
        // the JFR parser, and taken while start-up is judged (for an urgent rise), it would prolong start-up.
        warmedUp = last - mid <= settled;
        if (warmedUp) {
            // From then on, trends start where loading settled, found over the whole window: the start-up ramp is
            // not growth.
            double halfSlice = (to - from) / (double) slices / 2;
            for (int i = 0; i < whole.points(); i++) {
                if (last - whole.values[i] <= settled) {
                    startUpEndedAt = (long) (whole.times[i] - halfSlice);
                    break;
                }
            }
            slicedThisCheck.clear();
        }
        return !warmedUp;
    }

    /** The RSS trend against the container limit: when the kernel will kill the process at this rate. */
    private @Nullable Long timeToContainerLimit(SampleBuffer now, long from, long to) {
        double limit = now.get(Metric.CONTAINER_LIMIT);
        double rss = now.get(Metric.RSS);
        if (!Double.isFinite(limit) || Double.isNaN(rss)) {
            return null;
        }
        Sliced sliced = slice(Metric.RSS, from, to);
        Trend trend = sliced.trend();
        if (trend.confidence() < SUSPECT_CONFIDENCE || trend.slope() <= 0 || sliced.plateau(trend)) {
            return null;
        }
        double grown = trend.slope() * window.toMillis();
        if (grown < Math.max(1 << 20, limit * 0.01)) {
            return null;
        }
        return (long) Math.max(0, (limit - rss) / trend.slope() / 1000);
    }

    private void offHeapSuspects(long from, long to, List<LeakReport.Suspect> suspects) {
        bytesSuspect(
                Metric.DIRECT_USED,
                "direct buffers",
                from,
                to,
                suspects,
                "find who allocates direct ByteBuffers and keeps them (pools never released, buffers cached per"
                        + " connection); cap them with -XX:MaxDirectMemorySize");
        bytesSuspect(
                Metric.METASPACE_USED,
                "metaspace",
                from,
                to,
                suspects,
                "classes keep being defined: a class loader that is never released (redeploys, proxies or script"
                        + " engines created per request); take a heap dump and look for classes loaded twice");
        countSuspect(
                Metric.CLASSES_LOADED,
                "loaded classes",
                from,
                to,
                suspects,
                "a class loader count that only rises is a redeploy or proxy-per-request leak; jcmd <pid>"
                        + " VM.classloader_stats shows which loader holds them");
        countSuspect(
                Metric.THREADS,
                "threads",
                from,
                to,
                suspects,
                "threads are started and never end: an executor created per request or never shut down;"
                        + " jcmd <pid> Thread.print shows their names");
        countSuspect(
                Metric.FDS_OPEN,
                "file descriptors",
                from,
                to,
                suspects,
                "files, sockets or channels are opened and not closed: use try-with-resources; ls -l"
                        + " /proc/<pid>/fd shows what they are");
        nativeSuspect(from, to, suspects);
    }

    /** RSS minus committed heap rising while direct memory does not: the native allocator. */
    private void nativeSuspect(long from, long to, List<LeakReport.Suspect> suspects) {
        Sliced rss = slice(Metric.RSS, from, to);
        Sliced heap = slice(Metric.HEAP_COMMITTED, from, to);
        // The JVM's own warm-up (JIT arenas, code cache, GC structures sized to a growing heap) raises native memory
        // for minutes after start; only a trend over (nearly) the whole window says more than that.
        if (rss.points() < Math.max(MIN_SLICES, slices - 1) || rss.points() != heap.points()) {
            return;
        }
        // While the collector resizes the heap, RSS follows its commits and uncommits with a lag (G1 uncommits in
        // the background), and RSS minus committed heap swings by the heap's own size: judge native memory only
        // while the committed heap holds still.
        if (spread(heap) > 0.1) {
            return;
        }
        // While the JIT still compiles a service's hot paths (for minutes under load), its arenas raise RSS and
        // glibc keeps what they free: native memory is judged only once the code cache has stopped growing.
        if (spread(slice(Metric.CODE_CACHE_USED, from, to)) > 0.1) {
            return;
        }
        // Committed heap is not resident until first touched: while the heap fills for the first time, RSS rises
        // by the heap's own pages. Only once RSS at the window's start already covered the committed heap and
        // non-heap does the remainder measure native memory.
        Sliced nonHeap = slice(Metric.NON_HEAP_COMMITTED, from, to);
        if (nonHeap.points() == 0 || rss.values[0] < heap.values[0] + nonHeap.values[0]) {
            return;
        }
        double[] nativeBytes = new double[rss.points()];
        for (int i = 0; i < nativeBytes.length; i++) {
            nativeBytes[i] = rss.values[i] - heap.values[i];
        }
        Sliced nativeSliced = new Sliced(rss.times, nativeBytes);
        Trend trend = nativeSliced.trend();
        double grown = trend.slope() * window.toMillis();
        boolean directExplains = suspects.stream().anyMatch(s -> s.name().equals("direct buffers"));
        if (trend.confidence() >= SUSPECT_CONFIDENCE
                && grown > 16 << 20
                && !directExplains
                && !nativeSliced.plateau(trend)) {
            suspects.add(new LeakReport.Suspect(
                    LeakReport.Kind.OFF_HEAP,
                    "native memory",
                    trend.slope() * MS_PER_HOUR,
                    null,
                    String.format(
                            Locale.ROOT,
                            "RSS minus committed heap grew %s over %s while direct buffers did not (Mann–Kendall"
                                    + " confidence %.3f)",
                            LeakReport.bytes((long) (trend.slope() * nativeSliced.spanMillis())),
                            LeakReport.duration(nativeSliced.spanMillis() / 1000),
                            trend.confidence()),
                    "native allocator growth: try -XX:TrimNativeHeapInterval=60000 (JDK 21.0.1+) or"
                            + " MALLOC_ARENA_MAX=2, and -XX:NativeMemoryTracking=summary to see which JVM area grows",
                    null,
                    null));
        }
    }

    /** How far a series moved across the window, as a share of its highest value; 0 for no data. */
    private static double spread(Sliced sliced) {
        double low = Arrays.stream(sliced.values).min().orElse(0);
        double high = Arrays.stream(sliced.values).max().orElse(0);
        return high <= 0 ? 0 : (high - low) / high;
    }

    private void bytesSuspect(
            Metric metric, String what, long from, long to, List<LeakReport.Suspect> suspects, String nextStep) {
        Sliced sliced = slice(metric, from, to);
        Trend trend = sliced.trend();
        double grown = trend.slope() * window.toMillis();
        if (trend.confidence() >= SUSPECT_CONFIDENCE && grown > 4 << 20 && !sliced.plateau(trend)) {
            suspects.add(new LeakReport.Suspect(
                    LeakReport.Kind.OFF_HEAP,
                    what,
                    trend.slope() * MS_PER_HOUR,
                    null,
                    String.format(
                            Locale.ROOT,
                            "%s grew %s over %s, from %s to %s%s (Mann–Kendall confidence %.3f)",
                            what,
                            LeakReport.bytes((long) (trend.slope() * sliced.spanMillis())),
                            LeakReport.duration(sliced.spanMillis() / 1000),
                            LeakReport.bytes((long) sliced.values[0]),
                            LeakReport.bytes((long) sliced.values[sliced.points() - 1]),
                            ownLeftOut(metric),
                            trend.confidence()),
                    nextStep,
                    null,
                    null));
        }
    }

    private void countSuspect(
            Metric metric, String what, long from, long to, List<LeakReport.Suspect> suspects, String nextStep) {
        Sliced sliced = slice(metric, from, to);
        Trend trend = sliced.trend();
        if (sliced.points() < MIN_SLICES) {
            return;
        }
        double first = sliced.values[0];
        double grown = trend.slope() * window.toMillis();
        if (trend.confidence() >= SUSPECT_CONFIDENCE && grown >= Math.max(5, first * 0.1) && !sliced.plateau(trend)) {
            suspects.add(new LeakReport.Suspect(
                    LeakReport.Kind.OFF_HEAP,
                    what,
                    null,
                    trend.slope() * MS_PER_HOUR,
                    String.format(
                            Locale.ROOT,
                            "%s rose from %.0f to %.0f over %s%s (Mann–Kendall confidence %.3f)",
                            what,
                            first,
                            sliced.values[sliced.points() - 1],
                            LeakReport.duration(sliced.spanMillis() / 1000),
                            ownLeftOut(metric),
                            trend.confidence()),
                    nextStep,
                    null,
                    null));
        }
    }

    private void resourceSuspects(long from, long to, List<LeakReport.Suspect> suspects) {
        ResourceRegistry registry = resources;
        if (registry == null) {
            return;
        }
        for (TrackedResource resource : registry.resources()) {
            Optional<List<Series.Point>> points =
                    registry.history(resource.name(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
            if (points.isEmpty() || holdsItsOwnBound(resource)) {
                continue;
            }
            Sliced sliced = slice(points.get(), from, to);
            Trend trend = sliced.trend();
            if (sliced.points() < MIN_SLICES) {
                continue;
            }
            double first = sliced.values[0];
            double grown = trend.slope() * window.toMillis();
            if (trend.confidence() < SUSPECT_CONFIDENCE || grown < Math.max(10, first * 0.1) || sliced.plateau(trend)) {
                continue;
            }
            Double bytesPerHour = null;
            if (resource.estimatedBytes().isPresent() && resource.size() > 0) {
                double perElement = resource.estimatedBytes().getAsLong() / (double) resource.size();
                bytesPerHour = trend.slope() * MS_PER_HOUR * perElement;
            }
            String bound = resource.capacity().isPresent()
                    ? "it is bounded at " + resource.capacity().getAsLong() + ": check that the bound is what you meant"
                    : "nothing bounds it: put it behind a bounded primitive (capacity, eviction, expiry)";
            suspects.add(new LeakReport.Suspect(
                    LeakReport.Kind.RESOURCE,
                    resource.name(),
                    bytesPerHour,
                    trend.slope() * MS_PER_HOUR,
                    String.format(
                            Locale.ROOT,
                            "%s '%s' rose from %.0f to %.0f entries over %s (Mann–Kendall confidence %.3f)%s",
                            resource.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                            resource.name(),
                            first,
                            sliced.values[sliced.points() - 1],
                            LeakReport.duration(sliced.spanMillis() / 1000),
                            trend.confidence(),
                            resource.growthSite().isEmpty() ? "" : "; it crossed its warning line in the call below"),
                    "'" + resource.name() + "' only grows: find what adds to it without removing; " + bound,
                    resource.growthSite().isEmpty() ? null : resource.growthSite(),
                    null));
        }
    }

    private Sliced slice(Metric metric, long from, long to) {
        return slicedThisCheck.computeIfAbsent(new SliceKey(metric, from), key -> {
            List<Series.Point> points = timeline.range(metric, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))
                    .points();
            double perClass = ownShare(metric);
            return slice(Double.isNaN(perClass) ? points : withoutOwnClasses(points, perClass), from, to);
        });
    }

    /**
     * How much of a metric each of memwarden's own classes accounts for: one loaded class, or its metaspace; NaN for
     * the metrics its classes do not move, or metaspace while it is not known per class.
     */
    private double ownShare(Metric metric) {
        if (metric == Metric.CLASSES_LOADED) {
            return 1;
        }
        return metric == Metric.METASPACE_USED && Double.isFinite(metaspacePerClass) ? metaspacePerClass : Double.NaN;
    }

    /** What a suspect's evidence says where its figures leave memwarden's own classes out. */
    private String ownLeftOut(Metric metric) {
        return ownLoads > 0 && !Double.isNaN(ownShare(metric)) ? ", not counting memwarden's own classes" : "";
    }

    /**
     * The service's share of a series that grows with loaded classes: from every point, what memwarden had loaded
     * before it began, at {@code perClass} each. Subtracted from the growth instead, a few hundred classes loaded at
     * once (a first histogram, a first recording parsed) were a step that the trend's slope stretched over the whole
     * window, to several times their number.
     */
    private List<Series.Point> withoutOwnClasses(List<Series.Point> points, double perClass) {
        if (ownLoads == 0) {
            return points;
        }
        List<Series.Point> service = new ArrayList<>(points.size());
        for (Series.Point p : points) {
            double own = ownClassesLoadedBefore(p.start().toEpochMilli()) * perClass;
            service.add(new Series.Point(p.start(), p.min() - own, p.mean() - own, p.max() - own));
        }
        return service;
    }

    /** Cuts [from, to] into equal slices and keeps each non-empty slice's minimum, at the slice's middle. */
    private Sliced slice(List<Series.Point> points, long from, long to) {
        double[] minima = new double[slices];
        Arrays.fill(minima, Double.NaN);
        double width = (to - from) / (double) slices;
        for (Series.Point p : points) {
            long t = p.start().toEpochMilli();
            int s = (int) Math.min(slices - 1, Math.max(0, Math.floor((t - from) / width)));
            if (t < from || t < startUpEndedAt || Double.isNaN(p.min())) {
                continue;
            }
            minima[s] = Double.isNaN(minima[s]) ? p.min() : Math.min(minima[s], p.min());
        }
        int n = 0;
        for (double m : minima) {
            if (!Double.isNaN(m)) {
                n++;
            }
        }
        double[] times = new double[n];
        double[] values = new double[n];
        int k = 0;
        for (int s = 0; s < slices; s++) {
            if (!Double.isNaN(minima[s])) {
                times[k] = from + (s + 0.5) * width;
                values[k] = minima[s];
                k++;
            }
        }
        return new Sliced(times, values);
    }

    /** Slice minima, oldest first. A plain class: arrays in a record would compare by identity. */
    private static final class Sliced {
        final double[] times;
        final double[] values;

        Sliced(double[] times, double[] values) {
            this.times = times;
            this.values = values;
        }

        int points() {
            return values.length;
        }

        /** From the first slice's minimum to the last one's: the time the data cover. */
        long spanMillis() {
            return points() < 2 ? 0 : (long) (times[points() - 1] - times[0]);
        }

        Trend trend() {
            return points() < MIN_SLICES ? Trend.NONE : Trend.of(times, values);
        }

        /**
         * The second half no longer rises: its own trend is weak, or under a quarter of the whole window's. A cache
         * that warmed up and levelled off looks like this; a leak does not.
         */
        boolean plateau(Trend whole) {
            int half = points() / 2;
            if (half < 3 || whole.slope() <= 0) {
                return false;
            }
            double[] t = Arrays.copyOfRange(times, points() - half, points());
            double[] v = Arrays.copyOfRange(values, points() - half, points());
            Trend recent = Trend.of(t, v);
            return recent.confidence() < 0.9 || recent.slope() < whole.slope() * 0.25;
        }
    }
}
