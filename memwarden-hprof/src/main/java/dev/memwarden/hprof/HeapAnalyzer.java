package dev.memwarden.hprof;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/** Analyzes a heap dump file where it lies, memory-mapped, with memory per object in primitive arrays only. */
public final class HeapAnalyzer {
    private HeapAnalyzer() {}

    /**
     * The class histogram alone: one pass, memory per class rather than per object.
     *
     * @param layout the object layout of the JVM that wrote the dump, or null to infer it (compressed oops on 64 bits)
     */
    public static HeapAnalysis histogram(Path dump, @Nullable ObjectLayout layout, Progress progress) {
        long start = System.nanoTime();
        try (MappedDump mapped = MappedDump.open(dump)) {
            HistogramVisitor histogram = new HistogramVisitor(mapped, layout);
            HprofReader.read(mapped, histogram, pass(progress, "reading the dump", mapped.size()));
            return new HeapAnalysis.Success(dump, since(start), histogram.histogram(), null);
        } catch (CorruptDumpException e) {
            return new HeapAnalysis.Failure(dump, since(start), e.reason());
        } catch (IOException e) {
            return new HeapAnalysis.Failure(dump, since(start), "cannot read " + dump + ": " + e);
        }
    }

    /**
     * The full analysis: every object and reference indexed, the dominator tree, retained sizes by object and by class.
     *
     * @param top how many of the top dominators to report
     */
    public static HeapAnalysis analyze(Path dump, @Nullable ObjectLayout layout, int top, Progress progress) {
        long start = System.nanoTime();
        try (MappedDump mapped = MappedDump.open(dump)) {
            DumpCensus census = new DumpCensus(mapped);
            HprofReader.read(mapped, census, pass(progress, "reading classes", mapped.size()));
            ObjectLayout chosen = layout != null ? layout : ObjectLayout.inferred(census.idSize());
            HeapGraph graph = HeapGraphBuilder.build(mapped, census, chosen, progress);
            progress.report("computing dominators", 0);
            DominatorTree tree = Dominators.compute(graph.size(), graph.edgeStart, graph.edges, graph.roots);
            long[] retained = tree.retainedSizes(graph);
            long[] retainedByType = tree.retainedByType(graph, retained);
            progress.report("computing dominators", 100);
            return new HeapAnalysis.Success(
                    dump, since(start), histogram(graph, retainedByType), retention(graph, tree, retained, top));
        } catch (CorruptDumpException e) {
            return new HeapAnalysis.Failure(dump, since(start), e.reason());
        } catch (IOException e) {
            return new HeapAnalysis.Failure(dump, since(start), "cannot read " + dump + ": " + e);
        }
    }

    private static ClassHistogram histogram(HeapGraph graph, long[] retainedByType) {
        int types = graph.types.count();
        long[] instances = new long[types];
        long[] shallow = new long[types];
        for (int v = 0; v < graph.size(); v++) {
            instances[graph.typeOf[v]]++;
            shallow[graph.typeOf[v]] += graph.shallowBytes(v);
        }
        List<ClassHistogram.Row> rows = new ArrayList<>();
        long totalInstances = 0;
        long totalShallow = 0;
        for (int t = 0; t < types; t++) {
            if (instances[t] > 0) {
                rows.add(new ClassHistogram.Row(
                        graph.types.name(t), instances[t], shallow[t], OptionalLong.of(retainedByType[t])));
                totalInstances += instances[t];
                totalShallow += shallow[t];
            }
        }
        rows.sort(Comparator.comparingLong(
                        (ClassHistogram.Row r) -> r.retainedBytes().orElse(0))
                .thenComparingLong(ClassHistogram.Row::shallowBytes)
                .reversed()
                .thenComparing(ClassHistogram.Row::className));
        return new ClassHistogram(graph.layout, rows, totalInstances, totalShallow);
    }

    private static Retention retention(HeapGraph graph, DominatorTree tree, long[] retained, int top) {
        long reachableBytes = 0;
        long unreachableBytes = 0;
        // The top dominators: a bounded min-heap by retained size over the virtual root's children.
        java.util.PriorityQueue<Integer> best =
                new java.util.PriorityQueue<>(Comparator.comparingLong((Integer v) -> retained[v]));
        for (int v = 0; v < graph.size(); v++) {
            int d = tree.dominator(v);
            if (d == Dominators.UNREACHABLE) {
                unreachableBytes += graph.shallowBytes(v);
                continue;
            }
            reachableBytes += graph.shallowBytes(v);
            if (d == Dominators.VIRTUAL_ROOT) {
                best.add(v);
                if (best.size() > top) {
                    best.poll();
                }
            }
        }
        List<Retention.Dominator> dominators = new ArrayList<>();
        while (!best.isEmpty()) {
            int v = best.poll();
            dominators.add(
                    0, new Retention.Dominator(graph.ids.id(v), graph.describe(v), graph.shallowBytes(v), retained[v]));
        }
        return new Retention(
                tree.reachable(), reachableBytes, graph.size() - tree.reachable(), unreachableBytes, dominators);
    }

    /** A pass over the file, reported as a share of its size. */
    static LongConsumer pass(Progress progress, String step, long size) {
        return read -> progress.report(step, (int) (100 * read / Math.max(1, size)));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
