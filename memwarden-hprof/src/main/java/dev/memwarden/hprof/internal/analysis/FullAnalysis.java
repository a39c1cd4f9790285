package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.AnalysisOptions;
import dev.memwarden.hprof.ClassHistogram;
import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.LeakSuspect;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.Retention;
import dev.memwarden.hprof.internal.SecondThread;
import dev.memwarden.hprof.internal.graph.HeapGraph;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * Everything an analysis of a whole graph finds: the dominator tree, retained sizes by object and by class, the top
 * dominators and static fields, and, unless the options leave them out, the leak suspects with their paths from GC
 * roots. The search from the GC roots needs the graph alone, so it runs on a second thread while the dominators are
 * computed.
 */
public final class FullAnalysis {
    /** What the analysis found. */
    public record Result(ClassHistogram histogram, Retention retention, List<LeakSuspect> suspects) {}

    private final HeapGraph graph;
    private final DominatorTree tree;
    private final LongBuffer retained;

    private FullAnalysis(HeapGraph graph, DominatorTree tree, LongBuffer retained) {
        this.graph = graph;
        this.tree = tree;
        this.retained = retained;
    }

    public static Result run(HeapGraph graph, AnalysisOptions options) throws CorruptDumpException {
        Progress progress = options.progress();
        try (SecondThread<GcRootPaths> paths =
                options.suspects() ? SecondThread.start("paths-from-gc-roots", () -> new GcRootPaths(graph)) : null) {
            progress.report("computing dominators", 0);
            DominatorTree tree = Dominators.compute(graph, graph.memory());
            LongBuffer retained = tree.retainedSizes(graph);
            TreeChildren children = new TreeChildren(tree, graph.size(), graph.memory());
            long[] retainedByType = tree.retainedByType(graph, retained, children);
            progress.report("computing dominators", 100);
            FullAnalysis analysis = new FullAnalysis(graph, tree, retained);
            Retention retention = analysis.retention(options.top(), options.topStaticFields());
            List<LeakSuspect> suspects = paths != null
                    ? LeakSuspects.find(graph, tree, children, retained, retention.reachableBytes(), paths, progress)
                    : List.of();
            return new Result(analysis.histogram(retainedByType), retention, suspects);
        }
    }

    private ClassHistogram histogram(long[] retainedByType) {
        int types = graph.typeCount();
        long[] instances = new long[types];
        long[] shallow = new long[types];
        for (int v = 0; v < graph.size(); v++) {
            instances[graph.typeOf(v)]++;
            shallow[graph.typeOf(v)] += graph.shallowBytes(v);
        }
        List<ClassHistogram.Row> rows = new ArrayList<>();
        List<Optional<String>> loaders = new ArrayList<>();
        long totalInstances = 0;
        long totalShallow = 0;
        for (int t = 0; t < types; t++) {
            if (instances[t] > 0) {
                rows.add(new ClassHistogram.Row(
                        graph.typeName(t), instances[t], shallow[t], OptionalLong.of(retainedByType[t])));
                OptionalLong loader = graph.loaderId(t);
                loaders.add(loader.isPresent() ? Optional.of(loaderName(loader.getAsLong())) : Optional.empty());
                totalInstances += instances[t];
                totalShallow += shallow[t];
            }
        }
        rows = LoaderNames.namingLoadersWhereNamesRepeat(rows, loaders);
        rows.sort(Comparator.comparingLong(
                        (ClassHistogram.Row r) -> r.retainedBytes().orElse(0))
                .thenComparingLong(ClassHistogram.Row::shallowBytes)
                .reversed()
                .thenComparing(ClassHistogram.Row::className));
        return new ClassHistogram(graph.layout(), rows, totalInstances, totalShallow);
    }

    /** A class loader by its class and identifier, as the histogram names it where two loaders load one name. */
    private String loaderName(long loaderId) {
        int node = graph.indexOf(loaderId);
        return LoaderNames.loaderName(loaderId, node < 0 ? null : graph.typeName(graph.typeOf(node)));
    }

    private Retention retention(int top, int topStaticFields) {
        long reachableBytes = 0;
        long unreachableBytes = 0;
        // The top dominators: a bounded min-heap by retained size over the virtual root's children.
        PriorityQueue<Integer> best = new PriorityQueue<>(Comparator.comparingLong((Integer v) -> retained.get(v)));
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
                    0, new Retention.Dominator(graph.id(v), graph.describe(v), graph.shallowBytes(v), retained.get(v)));
        }
        return new Retention(
                tree.reachable(),
                reachableBytes,
                graph.size() - tree.reachable(),
                unreachableBytes,
                dominators,
                staticFields(topStaticFields));
    }

    /** The static fields that retain the most: each holds what its class dominates through it alone. */
    private List<Retention.StaticField> staticFields(int top) {
        PriorityQueue<Retention.StaticField> best =
                new PriorityQueue<>(Comparator.comparingLong(Retention.StaticField::retainedBytes));
        for (HeapGraph.StaticReference field : graph.staticReferences()) {
            if (tree.dominator(field.valueNode()) != field.classNode()) {
                continue;
            }
            best.add(new Retention.StaticField(
                    field.field(),
                    field.valueId(),
                    graph.describe(field.valueNode()),
                    retained.get(field.valueNode())));
            if (best.size() > top) {
                best.poll();
            }
        }
        List<Retention.StaticField> fields = new ArrayList<>();
        while (!best.isEmpty()) {
            fields.add(0, best.poll());
        }
        return fields;
    }
}
