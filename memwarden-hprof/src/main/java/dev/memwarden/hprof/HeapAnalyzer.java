package dev.memwarden.hprof;

import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Analyzes a heap dump file where it lies, read through small windows, with memory per object in primitive arrays
 * only: on the heap, or spilled to memory-mapped files where the heap is too small for them ({@link IndexMemory}).
 */
public final class HeapAnalyzer {
    /**
     * What the index may take per object at its peak, references included, with room to spare: on the service-like
     * heap of {@code HprofBench}, 24.4 million objects, the heap after collection peaked at 1.57 GB (64 bytes an
     * object) while the dominators were computed and the search from the GC roots ran beside them.
     */
    static final long INDEX_BYTES_PER_OBJECT = 80;
    /** The part of the heap the index may take before it is spilled: the rest is for everything else. */
    static final double HEAP_SHARE = 0.75;

    private HeapAnalyzer() {}

    /** The class histogram alone: one pass, memory per class rather than per object. */
    public static HeapAnalysis histogram(HeapDump dump, AnalysisOptions options) {
        long start = System.nanoTime();
        DumpFile file = dump.file();
        try {
            HistogramVisitor histogram = new HistogramVisitor(file, options.layout());
            HprofReader.read(file, histogram, pass(options.progress(), "reading the dump", file.size()));
            return new HeapAnalysis.Success(dump.path(), since(start), histogram.histogram(), null, List.of());
        } catch (CorruptDumpException e) {
            return new HeapAnalysis.Failure(dump.path(), since(start), e.reason());
        } catch (UncheckedIOException e) {
            return new HeapAnalysis.Failure(dump.path(), since(start), cannotRead(dump.path(), e));
        }
    }

    /**
     * The full analysis: every object and reference indexed, the dominator tree, retained sizes by object and by class,
     * and, unless the options leave them out, the leak suspects with their paths from GC roots.
     */
    public static HeapAnalysis analyze(HeapDump dump, AnalysisOptions options) {
        long start = System.nanoTime();
        DumpFile file = dump.file();
        Progress progress = options.progress();
        try (HeapGraph graph = graph(file, options.layout(), options.spillDirectory(), progress);
                SecondThread<GcRootPaths> paths = options.suspects() ? searchFromGcRoots(graph) : null) {
            progress.report("computing dominators", 0);
            DominatorTree tree = Dominators.compute(
                    graph.size(), graph.edgeStart, graph.edges, graph.weakEdges, graph.roots, graph.memory);
            LongBuffer retained = tree.retainedSizes(graph);
            TreeChildren children = new TreeChildren(tree, graph.size(), graph.memory);
            long[] retainedByType = tree.retainedByType(graph, retained, children);
            progress.report("computing dominators", 100);
            Retention retention = retention(graph, tree, retained, options.top(), options.topStaticFields());
            List<LeakSuspect> suspects = paths != null
                    ? LeakSuspects.find(
                            file, graph, tree, children, retained, retention.reachableBytes(), paths, progress)
                    : List.of();
            return new HeapAnalysis.Success(
                    dump.path(), since(start), histogram(graph, retainedByType), retention, suspects);
        } catch (CorruptDumpException e) {
            return new HeapAnalysis.Failure(dump.path(), since(start), e.reason());
        } catch (UncheckedIOException e) {
            return new HeapAnalysis.Failure(dump.path(), since(start), cannotRead(dump.path(), e));
        }
    }

    /** The search from the GC roots, which needs the graph alone: it runs while the dominators are computed. */
    private static SecondThread<GcRootPaths> searchFromGcRoots(HeapGraph graph) {
        return SecondThread.start("paths-from-gc-roots", () -> new GcRootPaths(graph));
    }

    /**
     * The shortest path from a GC root to each object, by strong references: no dominators, only the object graph, a
     * breadth-first search and a pass to name the references on the way.
     */
    public static RootPathSearch pathsFromGcRoots(HeapDump dump, List<Long> objectIds, AnalysisOptions options) {
        long start = System.nanoTime();
        DumpFile file = dump.file();
        Progress progress = options.progress();
        try (HeapGraph graph = graph(file, options.layout(), options.spillDirectory(), progress)) {
            int[] nodes = new int[objectIds.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = graph.ids.indexOf(objectIds.get(i));
                if (nodes[i] < 0) {
                    return new RootPathSearch.Failure(
                            dump.path(),
                            since(start),
                            String.format(Locale.ROOT, "the dump holds no object 0x%x", objectIds.get(i)));
                }
            }
            progress.report("finding paths from GC roots", 0);
            GcRootPaths roots = new GcRootPaths(graph);
            List<int[]> paths = new ArrayList<>();
            List<ReferenceLabels.Reference> wanted = new ArrayList<>();
            for (int node : nodes) {
                int[] path = roots.pathTo(node);
                paths.add(path);
                wanted.addAll(roots.references(path));
            }
            progress.report("finding paths from GC roots", 100);
            Map<ReferenceLabels.Reference, String> labels = ReferenceLabels.read(file, graph, wanted, progress);
            List<RootPathSearch.ObjectPath> found = new ArrayList<>();
            for (int i = 0; i < nodes.length; i++) {
                found.add(new RootPathSearch.ObjectPath(
                        objectIds.get(i), graph.describe(nodes[i]), roots.describe(paths.get(i), labels)));
            }
            return new RootPathSearch.Success(dump.path(), since(start), found);
        } catch (CorruptDumpException e) {
            return new RootPathSearch.Failure(dump.path(), since(start), e.reason());
        } catch (UncheckedIOException e) {
            return new RootPathSearch.Failure(dump.path(), since(start), cannotRead(dump.path(), e));
        }
    }

    /**
     * What grew between two dumps of one process: each is analyzed in full, one after the other, and their static
     * fields and classes are matched by name (identifiers change as the collector moves objects). The options' {@code
     * top} says how many of the static fields and of the classes that grew most to report.
     */
    public static HeapDiff diff(HeapDump before, HeapDump after, AnalysisOptions options) {
        long start = System.nanoTime();
        AnalysisOptions full = options.withTopStaticFields(Integer.MAX_VALUE).withoutSuspects();
        HeapAnalysis[] analyses = new HeapAnalysis[2];
        HeapDump[] dumps = {before, after};
        for (int i = 0; i < 2; i++) {
            analyses[i] = analyze(dumps[i], full);
            if (analyses[i] instanceof HeapAnalysis.Failure failure) {
                return new HeapDiff.Failure(
                        before.path(), after.path(), since(start), dumps[i].path() + ": " + failure.reason());
            }
        }
        return DumpComparison.compare(
                (HeapAnalysis.Success) analyses[0], (HeapAnalysis.Success) analyses[1], options.top(), since(start));
    }

    /**
     * Writes a copy of a dump with the contents of its primitive arrays zeroed (string bytes, buffers), so that it can
     * be shared; see {@link Redactor} for what stays. Never writes over an existing file.
     */
    public static Redaction redact(Path source, Path target, Progress progress) {
        return Redactor.redact(source, target, progress);
    }

    /**
     * The heap, unless a spill directory is given or the index would take more than {@link #HEAP_SHARE} of the heap at
     * {@link #INDEX_BYTES_PER_OBJECT}.
     */
    private static IndexMemory memoryFor(DumpCensus census, @Nullable Path spillDirectory, Progress progress) {
        Path directory = spillDirectory;
        if (directory == null
                && census.objects() * INDEX_BYTES_PER_OBJECT
                        > Runtime.getRuntime().maxMemory() * HEAP_SHARE) {
            directory = Path.of(System.getProperty("java.io.tmpdir"));
        }
        if (directory == null) {
            return IndexMemory.heap();
        }
        progress.report("spilling the index to " + directory, 100);
        return IndexMemory.spilledTo(directory);
    }

    /**
     * The census, then the object graph on the heap or spilled: four passes over the file. Closing the graph unmaps
     * what it spilled.
     */
    private static HeapGraph graph(
            DumpFile file, @Nullable ObjectLayout layout, @Nullable Path spillDirectory, Progress progress)
            throws CorruptDumpException {
        DumpCensus census = new DumpCensus(file);
        HprofReader.read(file, census, pass(progress, "reading classes", file.size()));
        ObjectLayout chosen = layout != null ? layout : ObjectLayout.inferred(census.idSize());
        IndexMemory memory = memoryFor(census, spillDirectory, progress);
        boolean built = false;
        try {
            HeapGraph graph = HeapGraphBuilder.build(file, census, chosen, memory, progress);
            built = true;
            return graph;
        } finally {
            if (!built) {
                memory.close();
            }
        }
    }

    /** Why a dump could not be read, or its index not be spilled; an unchecked one says it in its cause. */
    private static String cannotRead(Path dump, Exception e) {
        return "cannot read " + dump + ": " + (e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e);
    }

    private static ClassHistogram histogram(HeapGraph graph, long[] retainedByType) {
        int types = graph.types.count();
        long[] instances = new long[types];
        long[] shallow = new long[types];
        for (int v = 0; v < graph.size(); v++) {
            instances[graph.typeOf.get(v)]++;
            shallow[graph.typeOf.get(v)] += graph.shallowBytes(v);
        }
        Map<Long, Long> loaderOfClass = new HashMap<>();
        for (ClassDump c : graph.census.classes()) {
            loaderOfClass.put(c.classId(), c.loaderId());
        }
        List<ClassHistogram.Row> rows = new ArrayList<>();
        List<Optional<String>> loaders = new ArrayList<>();
        long totalInstances = 0;
        long totalShallow = 0;
        for (int t = 0; t < types; t++) {
            if (instances[t] > 0) {
                rows.add(new ClassHistogram.Row(
                        graph.types.name(t), instances[t], shallow[t], OptionalLong.of(retainedByType[t])));
                loaders.add(Optional.ofNullable(loaderOfClass.get(graph.types.classId(t)))
                        .map(loader -> loaderName(graph, loader)));
                totalInstances += instances[t];
                totalShallow += shallow[t];
            }
        }
        rows = ClassHistogram.namingLoadersWhereNamesRepeat(rows, loaders);
        rows.sort(Comparator.comparingLong(
                        (ClassHistogram.Row r) -> r.retainedBytes().orElse(0))
                .thenComparingLong(ClassHistogram.Row::shallowBytes)
                .reversed()
                .thenComparing(ClassHistogram.Row::className));
        return new ClassHistogram(graph.layout, rows, totalInstances, totalShallow);
    }

    private static Retention retention(
            HeapGraph graph, DominatorTree tree, LongBuffer retained, int top, int topStaticFields) {
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
                    0,
                    new Retention.Dominator(
                            graph.ids.id(v), graph.describe(v), graph.shallowBytes(v), retained.get(v)));
        }
        return new Retention(
                tree.reachable(),
                reachableBytes,
                graph.size() - tree.reachable(),
                unreachableBytes,
                dominators,
                staticFields(graph, tree, retained, topStaticFields));
    }

    /** A class loader by its class and identifier, as the histogram names it where two loaders load one name. */
    private static String loaderName(HeapGraph graph, long loaderId) {
        int node = graph.ids.indexOf(loaderId);
        return ClassHistogram.loaderName(loaderId, node < 0 ? null : graph.types.name(graph.typeOf.get(node)));
    }

    /** The static fields that retain the most: each holds what its class dominates through it alone. */
    private static List<Retention.StaticField> staticFields(
            HeapGraph graph, DominatorTree tree, LongBuffer retained, int top) {
        Names names = graph.census.names();
        PriorityQueue<Retention.StaticField> best =
                new PriorityQueue<>(Comparator.comparingLong(Retention.StaticField::retainedBytes));
        for (ClassDump c : graph.census.classes()) {
            int classNode = graph.ids.indexOf(c.classId());
            for (ClassDump.Field f : c.statics()) {
                int v = f.type() == BasicType.OBJECT && f.value() != 0 ? graph.ids.indexOf(f.value()) : -1;
                if (v < 0 || classNode < 0 || tree.dominator(v) != classNode) {
                    continue;
                }
                String name = names.string(f.nameId());
                best.add(new Retention.StaticField(
                        names.className(c.classId()) + "."
                                + (name != null ? name : String.format(Locale.ROOT, "<field 0x%x>", f.nameId())),
                        f.value(),
                        graph.describe(v),
                        retained.get(v)));
                if (best.size() > top) {
                    best.poll();
                }
            }
        }
        List<Retention.StaticField> fields = new ArrayList<>();
        while (!best.isEmpty()) {
            fields.add(0, best.poll());
        }
        return fields;
    }

    /** A pass over the file, reported as a share of its size. */
    static LongConsumer pass(Progress progress, String step, long size) {
        return read -> progress.report(step, (int) (100 * read / Math.max(1, size)));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
