package dev.memwarden.internal.leak;

import dev.memwarden.internal.Format;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Metric;
import java.util.List;
import java.util.Locale;

/**
 * Layer 2: what grows outside the heap. A table of rules, one per metric (its label, what growth counts, the next
 * step), and native memory (RSS minus committed heap), which needs more care: the JVM's own warm-up grows it for
 * minutes. Reads only the in-memory timeline. Used under the detector's lock.
 */
final class OffHeapTrends {
    private static final double MS_PER_HOUR = 3_600_000;

    /** How a rule measures growth: in bytes, at least 4 MiB; or in counts, at least 5 and a tenth of the start. */
    enum Unit {
        BYTES,
        COUNT
    }

    /** One metric that grows when a kind of resource leaks. */
    record Rule(Metric metric, String label, Unit unit, String nextStep) {}

    static final List<Rule> RULES = List.of(
            new Rule(
                    Metric.DIRECT_USED,
                    "direct buffers",
                    Unit.BYTES,
                    "find who allocates direct ByteBuffers and keeps them (pools never released, buffers cached per"
                            + " connection); cap them with -XX:MaxDirectMemorySize"),
            new Rule(
                    Metric.METASPACE_USED,
                    "metaspace",
                    Unit.BYTES,
                    "classes keep being defined: a class loader that is never released (redeploys, proxies or script"
                            + " engines created per request); take a heap dump and look for classes loaded twice"),
            new Rule(
                    Metric.CLASSES_LOADED,
                    "loaded classes",
                    Unit.COUNT,
                    "a class loader count that only rises is a redeploy or proxy-per-request leak; jcmd <pid>"
                            + " VM.classloader_stats shows which loader holds them"),
            new Rule(
                    Metric.THREADS,
                    "threads",
                    Unit.COUNT,
                    "threads are started and never end: an executor created per request or never shut down;"
                            + " jcmd <pid> Thread.print shows their names"),
            new Rule(
                    Metric.FDS_OPEN,
                    "file descriptors",
                    Unit.COUNT,
                    "files, sockets or channels are opened and not closed: use try-with-resources; ls -l"
                            + " /proc/<pid>/fd shows what they are"));

    static final String NATIVE = "native memory";

    private final WindowSlicer slicer;
    private final long windowMillis;

    OffHeapTrends(WindowSlicer slicer, long windowMillis) {
        this.slicer = slicer;
        this.windowMillis = windowMillis;
    }

    /** Adds a suspect for every rule whose metric rises over [from, to], then native memory's. */
    void suspects(long from, long to, List<LeakReport.Suspect> suspects) {
        for (Rule rule : RULES) {
            Sliced sliced = slicer.slice(rule.metric(), from, to);
            if (sliced.points() < Sliced.MIN_POINTS) {
                continue;
            }
            Trend trend = sliced.trend();
            double grown = trend.slope() * windowMillis;
            double least = rule.unit() == Unit.BYTES ? 4 << 20 : Math.max(5, sliced.first() * 0.1);
            boolean enough = rule.unit() == Unit.BYTES ? grown > least : grown >= least;
            if (trend.confidence() >= Verdicts.SUSPECT_CONFIDENCE && enough && !sliced.plateau(trend)) {
                suspects.add(suspect(rule, sliced, trend));
            }
        }
        nativeSuspect(from, to, suspects);
    }

    private LeakReport.Suspect suspect(Rule rule, Sliced sliced, Trend trend) {
        String over = Format.duration(sliced.spanMillis() / 1000);
        String ownLeftOut = slicer.ownLeftOut(rule.metric());
        if (rule.unit() == Unit.BYTES) {
            String evidence = String.format(
                    Locale.ROOT,
                    "%s grew %s over %s, from %s to %s%s (Mann–Kendall confidence %.3f)",
                    rule.label(),
                    Format.bytes((long) (trend.slope() * sliced.spanMillis())),
                    over,
                    Format.bytes((long) sliced.first()),
                    Format.bytes((long) sliced.last()),
                    ownLeftOut,
                    trend.confidence());
            return new LeakReport.OffHeap(rule.label(), trend.slope() * MS_PER_HOUR, null, evidence, rule.nextStep());
        }
        String evidence = String.format(
                Locale.ROOT,
                "%s rose from %.0f to %.0f over %s%s (Mann–Kendall confidence %.3f)",
                rule.label(),
                sliced.first(),
                sliced.last(),
                over,
                ownLeftOut,
                trend.confidence());
        return new LeakReport.OffHeap(rule.label(), null, trend.slope() * MS_PER_HOUR, evidence, rule.nextStep());
    }

    /** RSS minus committed heap rising while direct memory does not: the native allocator. */
    private void nativeSuspect(long from, long to, List<LeakReport.Suspect> suspects) {
        Sliced rss = slicer.slice(Metric.RSS, from, to);
        Sliced heap = slicer.slice(Metric.HEAP_COMMITTED, from, to);
        // The JVM's own warm-up (JIT arenas, code cache, GC structures sized to a growing heap) raises native memory
        // for minutes after start; only a trend over (nearly) the whole window says more than that.
        if (rss.points() < Math.max(Sliced.MIN_POINTS, slicer.slices() - 1) || rss.points() != heap.points()) {
            return;
        }
        // While the collector resizes the heap, RSS follows its commits and uncommits with a lag (G1 uncommits in
        // the background), and RSS minus committed heap swings by the heap's own size: judge native memory only
        // while the committed heap holds still.
        if (heap.spread() > 0.1) {
            return;
        }
        // While the JIT still compiles a service's hot paths (for minutes under load), its arenas raise RSS and
        // glibc keeps what they free: native memory is judged only once the code cache has stopped growing.
        if (slicer.slice(Metric.CODE_CACHE_USED, from, to).spread() > 0.1) {
            return;
        }
        // Committed heap is not resident until first touched: while the heap fills for the first time, RSS rises
        // by the heap's own pages. Only once RSS at the window's start already covered the committed heap and
        // non-heap does the remainder measure native memory.
        Sliced nonHeap = slicer.slice(Metric.NON_HEAP_COMMITTED, from, to);
        if (nonHeap.points() == 0 || rss.first() < heap.first() + nonHeap.first()) {
            return;
        }
        Sliced nativeSliced = rss.minus(heap);
        Trend trend = nativeSliced.trend();
        double grown = trend.slope() * windowMillis;
        boolean directExplains = suspects.stream().anyMatch(s -> s.name().equals("direct buffers"));
        if (trend.confidence() >= Verdicts.SUSPECT_CONFIDENCE
                && grown > 16 << 20
                && !directExplains
                && !nativeSliced.plateau(trend)) {
            suspects.add(new LeakReport.OffHeap(
                    NATIVE,
                    trend.slope() * MS_PER_HOUR,
                    null,
                    String.format(
                            Locale.ROOT,
                            "RSS minus committed heap grew %s over %s while direct buffers did not (Mann–Kendall"
                                    + " confidence %.3f)",
                            Format.bytes((long) (trend.slope() * nativeSliced.spanMillis())),
                            Format.duration(nativeSliced.spanMillis() / 1000),
                            trend.confidence()),
                    "native allocator growth: try -XX:TrimNativeHeapInterval=60000 (JDK 21.0.1+) or"
                            + " MALLOC_ARENA_MAX=2, and -XX:NativeMemoryTracking=summary to see which JVM area grows"));
        }
    }
}
