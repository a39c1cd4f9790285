package dev.memwarden.internal.leak;

import dev.memwarden.internal.Format;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Layer 2: what grows outside the heap. A table of rules, one per metric (its label, what growth counts, the limit it
 * runs into, the next step), and native memory (RSS minus committed heap, projected to the container limit), which
 * needs more care: the JVM's own warm-up grows it for minutes. Reads only the in-memory timeline. Used under the
 * detector's lock.
 *
 * <p>Each metric's trend is looked for at the live set's scales, the window and its halves, and projected to its
 * limit. A rise that would reach it within {@link LeakDetector#URGENT} counts at any scale, start-up or not: such a
 * leak leaves no time to wait. Any other counts once start-up is over, over the window or a span of at least {@link
 * LeakDetector#SETTLED}. A rise that shows all through the shortest span of at least that long, with data all through
 * it and both its halves rising, persists: it has outlasted what a burst or a pool filling explains.
 */
final class OffHeapTrends {
    private static final double MS_PER_HOUR = 3_600_000;

    /** A rise of a limited resource by this share of its limit since the last check calls for the next one at once. */
    static final double EARLY_CHECK_RISE = LeakDetector.EARLY_CHECK_RISE;

    /** How a rule measures growth: in bytes, at least 4 MiB; or in counts, at least 5 and a tenth of the start. */
    enum Unit {
        BYTES,
        COUNT
    }

    /** Where a resource's limit is read from a sample; infinite or NaN where nothing bounds it. */
    interface Limit {
        double of(SampleBuffer now);
    }

    /** One metric that grows when a kind of resource leaks, and what bounds it. */
    record Rule(Metric metric, String label, Unit unit, Limit limit, String limitName, String nextStep) {}

    static final List<Rule> RULES = List.of(
            new Rule(
                    Metric.DIRECT_USED,
                    "direct buffers",
                    Unit.BYTES,
                    now -> now.get(Metric.DIRECT_MAX),
                    "the maximum direct memory",
                    "find who allocates direct ByteBuffers and keeps them (pools never released, buffers cached per"
                            + " connection); cap them with -XX:MaxDirectMemorySize"),
            new Rule(
                    Metric.METASPACE_USED,
                    "metaspace",
                    Unit.BYTES,
                    now -> Double.isFinite(now.get(Metric.METASPACE_MAX))
                            ? now.get(Metric.METASPACE_MAX)
                            : now.get(Metric.CONTAINER_LIMIT),
                    "-XX:MaxMetaspaceSize, or the container limit where it is unset",
                    "classes keep being defined: a class loader that is never released (redeploys, proxies or script"
                            + " engines created per request); take a heap dump and look for classes loaded twice"),
            new Rule(
                    Metric.COMPRESSED_CLASS_USED,
                    "compressed class space",
                    Unit.BYTES,
                    now -> now.get(Metric.COMPRESSED_CLASS_MAX),
                    "-XX:CompressedClassSpaceSize",
                    "classes keep being defined: a class loader that is never released; where it runs out before"
                            + " metaspace (a small -XX:CompressedClassSpaceSize), take a heap dump and look for"
                            + " classes loaded twice"),
            new Rule(
                    Metric.CLASSES_LOADED,
                    "loaded classes",
                    Unit.COUNT,
                    now -> Double.POSITIVE_INFINITY,
                    "",
                    "a class loader count that only rises is a redeploy or proxy-per-request leak; jcmd <pid>"
                            + " VM.classloader_stats shows which loader holds them"),
            new Rule(
                    Metric.THREADS,
                    "threads",
                    Unit.COUNT,
                    now -> now.get(Metric.THREADS_MAX),
                    "the process limit (ulimit -u) or the cgroup's pids.max",
                    "threads are started and never end: an executor created per request or never shut down;"
                            + " jcmd <pid> Thread.print shows their names"),
            new Rule(
                    Metric.FDS_OPEN,
                    "file descriptors",
                    Unit.COUNT,
                    now -> now.get(Metric.FDS_MAX),
                    "the descriptor limit (ulimit -n)",
                    "files, sockets or channels are opened and not closed: use try-with-resources; ls -l"
                            + " /proc/<pid>/fd shows what they are"));

    static final String NATIVE = "native memory";

    private final WindowSlicer slicer;
    private final long windowMillis;
    private final long[] scalesMillis;
    private final double[] atLastCheck = new double[RULES.size()];

    /** The shortest of the scales that lasts {@link LeakDetector#SETTLED}, or the window. */
    private final long settledMillis;

    /** @param scalesMillis the spans a trend is looked for in, longest first: the window, then halves of it */
    OffHeapTrends(WindowSlicer slicer, long windowMillis, long[] scalesMillis) {
        this.slicer = slicer;
        this.windowMillis = windowMillis;
        this.scalesMillis = scalesMillis.clone();
        Arrays.fill(atLastCheck, Double.NaN);
        long settled = windowMillis;
        for (long scale : scalesMillis) {
            if (scale >= LeakDetector.SETTLED.toMillis()) {
                settled = Math.min(settled, scale);
            }
        }
        this.settledMillis = settled;
    }

    /** A rule's metric rising over one span: its slices, trend, and how long until it reaches its limit. */
    private record Growth(Rule rule, Sliced sliced, Trend trend, long secondsToLimit, double limit) {
        boolean urgent() {
            return secondsToLimit < LeakDetector.URGENT.toSeconds();
        }
    }

    /**
     * Adds a suspect for every rule whose metric rises, then native memory's.
     *
     * @return whether some suspect's rise persists (see the class comment)
     */
    boolean suspects(SampleBuffer now, boolean warmingUp, List<LeakReport.Suspect> suspects) {
        boolean persists = false;
        for (Rule rule : RULES) {
            atLastCheck[RULES.indexOf(rule)] = now.get(rule.metric());
            Growth best = null;
            Growth settled = null;
            for (long scale : scalesMillis) {
                Growth growth = growth(rule, now, scale);
                if (scale == settledMillis) {
                    settled = growth;
                }
                if (growth == null || (!growth.urgent() && (warmingUp || scale < settledMillis))) {
                    continue;
                }
                if (best == null || growth.trend().confidence() > best.trend().confidence()) {
                    best = growth;
                }
            }
            if (best != null) {
                suspects.add(suspect(best));
                persists |= settled != null && settled.sliced().risesAllThrough(slicer.slices());
            }
        }
        return nativeSuspect(now, warmingUp, suspects) || persists;
    }

    /**
     * Whether a limited resource rose by {@link #EARLY_CHECK_RISE} of its limit since the last check: a leak that
     * fast runs out within minutes, and the next check should not wait for its interval.
     */
    boolean risenSinceLastCheck(SampleBuffer now) {
        for (int r = 0; r < RULES.size(); r++) {
            Rule rule = RULES.get(r);
            double limit = rule.limit().of(now);
            double rise = now.get(rule.metric()) - atLastCheck[r];
            if (Double.isFinite(limit) && rise >= limit * EARLY_CHECK_RISE) {
                return true;
            }
        }
        return false;
    }

    /** The rule's metric over the last {@code scale}, if it rises there by enough and is not levelling off. */
    private @Nullable Growth growth(Rule rule, SampleBuffer now, long scale) {
        long to = now.takenAtMillis();
        Sliced sliced = slicer.slice(rule.metric(), to - scale, to);
        if (sliced.points() < Sliced.MIN_POINTS) {
            return null;
        }
        Trend trend = sliced.trend();
        double grown = trend.slope() * scale;
        boolean enough = rule.unit() == Unit.BYTES ? grown > 4 << 20 : grown >= Math.max(5, sliced.first() * 0.1);
        if (trend.confidence() < Verdicts.SUSPECT_CONFIDENCE || !enough || sliced.plateau(trend)) {
            return null;
        }
        double limit = rule.limit().of(now);
        double value = Math.max(sliced.last(), now.get(rule.metric()));
        return new Growth(rule, sliced, trend, Rise.secondsToExhaustion(limit, value, trend), limit);
    }

    private LeakReport.Suspect suspect(Growth growth) {
        Rule rule = growth.rule();
        Sliced sliced = growth.sliced();
        Trend trend = growth.trend();
        String over = Format.duration(sliced.spanMillis() / 1000);
        String ownLeftOut = slicer.ownLeftOut(rule.metric());
        String toLimit = growth.secondsToLimit() == Long.MAX_VALUE
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; at this rate it reaches %s (%s) in %s",
                        rule.limitName(),
                        rule.unit() == Unit.BYTES
                                ? Format.bytes((long) growth.limit())
                                : String.format(Locale.ROOT, "%.0f", growth.limit()),
                        Format.duration(growth.secondsToLimit()));
        Long secondsToLimit = growth.secondsToLimit() == Long.MAX_VALUE ? null : growth.secondsToLimit();
        if (rule.unit() == Unit.BYTES) {
            String evidence = String.format(
                    Locale.ROOT,
                    "%s grew %s over %s, from %s to %s%s (Mann–Kendall confidence %.3f)%s",
                    rule.label(),
                    Format.bytes((long) (trend.slope() * sliced.spanMillis())),
                    over,
                    Format.bytes((long) sliced.first()),
                    Format.bytes((long) sliced.last()),
                    ownLeftOut,
                    trend.confidence(),
                    toLimit);
            return new LeakReport.OffHeap(
                    rule.label(), trend.slope() * MS_PER_HOUR, null, evidence, rule.nextStep(), secondsToLimit);
        }
        String evidence = String.format(
                Locale.ROOT,
                "%s rose from %.0f to %.0f over %s%s (Mann–Kendall confidence %.3f)%s",
                rule.label(),
                sliced.first(),
                sliced.last(),
                over,
                ownLeftOut,
                trend.confidence(),
                toLimit);
        return new LeakReport.OffHeap(
                rule.label(), null, trend.slope() * MS_PER_HOUR, evidence, rule.nextStep(), secondsToLimit);
    }

    /** Native memory over one span: its slices, trend, and when the process reaches the container limit. */
    private record NativeGrowth(Sliced sliced, Trend trend, long secondsToLimit, double limit) {
        boolean urgent() {
            return secondsToLimit < LeakDetector.URGENT.toSeconds();
        }
    }

    /**
     * RSS minus committed heap rising while direct memory does not: the native allocator. Over the window once
     * start-up is over, as the JVM's own warm-up needs; over any span if the process would reach its container's
     * limit within {@link LeakDetector#URGENT} at that rate.
     *
     * @return whether the rise persists all through the settled span
     */
    private boolean nativeSuspect(SampleBuffer now, boolean warmingUp, List<LeakReport.Suspect> suspects) {
        if (suspects.stream().anyMatch(s -> s.name().equals("direct buffers"))) {
            return false;
        }
        NativeGrowth best = null;
        NativeGrowth settled = null;
        for (long scale : scalesMillis) {
            NativeGrowth growth = nativeGrowth(now, scale);
            if (scale == settledMillis) {
                settled = growth;
            }
            if (growth == null || (!growth.urgent() && (warmingUp || scale < windowMillis))) {
                continue;
            }
            if (best == null || growth.trend().confidence() > best.trend().confidence()) {
                best = growth;
            }
        }
        if (best == null) {
            return false;
        }
        Sliced sliced = best.sliced();
        Trend trend = best.trend();
        String toLimit = best.secondsToLimit() == Long.MAX_VALUE
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; at this rate the process reaches the container limit (%s) in %s",
                        Format.bytes((long) best.limit()),
                        Format.duration(best.secondsToLimit()));
        suspects.add(new LeakReport.OffHeap(
                NATIVE,
                trend.slope() * MS_PER_HOUR,
                null,
                String.format(
                        Locale.ROOT,
                        "RSS minus committed heap grew %s over %s while direct buffers did not (Mann–Kendall"
                                + " confidence %.3f)%s",
                        Format.bytes((long) (trend.slope() * sliced.spanMillis())),
                        Format.duration(sliced.spanMillis() / 1000),
                        trend.confidence(),
                        toLimit),
                "native allocator growth: look for native resources never released (Deflater or Inflater without"
                        + " end(), JNI libraries); for glibc arena growth try -XX:TrimNativeHeapInterval=60000 (JDK"
                        + " 21.0.1+) or MALLOC_ARENA_MAX=2; -XX:NativeMemoryTracking=summary shows which JVM area grows",
                best.secondsToLimit() == Long.MAX_VALUE ? null : best.secondsToLimit()));
        return settled != null && settled.sliced().risesAllThrough(slicer.slices());
    }

    /**
     * Native memory over the last {@code scale}, if it is measured cleanly there and rises by more than 16 MiB beyond
     * what the committed heap moved.
     */
    private @Nullable NativeGrowth nativeGrowth(SampleBuffer now, long scale) {
        long to = now.takenAtMillis();
        long from = to - scale;
        Sliced rss = slicer.slice(Metric.RSS, from, to);
        Sliced heap = slicer.slice(Metric.HEAP_COMMITTED, from, to);
        // A trend needs data all through its span, and the same slices for RSS and the heap to subtract them.
        if (rss.points() < Math.max(Sliced.MIN_POINTS, slicer.slices() - 1) || rss.points() != heap.points()) {
            return null;
        }
        // While the JIT still compiles a service's hot paths (for minutes under load), its arenas raise RSS and
        // glibc keeps what they free: native memory is judged only while the code cache holds still.
        if (slicer.slice(Metric.CODE_CACHE_USED, from, to).spread() > 0.1) {
            return null;
        }
        // Committed heap is not resident until first touched: while the heap fills for the first time, RSS rises
        // by the heap's own pages. Only once RSS at the span's start already covered the committed heap and
        // non-heap does the remainder measure native memory.
        Sliced nonHeap = slicer.slice(Metric.NON_HEAP_COMMITTED, from, to);
        if (nonHeap.points() == 0 || rss.first() < heap.first() + nonHeap.first()) {
            return null;
        }
        Sliced nativeSliced = rss.minus(heap);
        Trend trend = nativeSliced.trend();
        // While the collector resizes the heap, RSS follows its commits and uncommits with a lag (G1 uncommits in
        // the background, Parallel shrinks its young generation): RSS minus committed heap rises by as much as the
        // committed heap moved without any native growth. Only growth beyond that movement counts.
        if (trend.confidence() < Verdicts.SUSPECT_CONFIDENCE
                || trend.slope() * scale <= heap.range() + (16 << 20)
                || nativeSliced.plateau(trend)) {
            return null;
        }
        double limit = now.get(Metric.CONTAINER_LIMIT);
        double rssNow = Math.max(rss.last(), now.get(Metric.RSS));
        return new NativeGrowth(nativeSliced, trend, Rise.secondsToExhaustion(limit, rssNow, trend), limit);
    }
}
