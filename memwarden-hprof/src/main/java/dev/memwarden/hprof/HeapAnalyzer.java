package dev.memwarden.hprof;

import dev.memwarden.hprof.internal.analysis.DumpComparison;
import dev.memwarden.hprof.internal.analysis.FullAnalysis;
import dev.memwarden.hprof.internal.analysis.GcRootPaths;
import dev.memwarden.hprof.internal.analysis.HistogramVisitor;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofReader;
import dev.memwarden.hprof.internal.format.Redactor;
import dev.memwarden.hprof.internal.graph.HeapGraph;
import dev.memwarden.hprof.internal.graph.HeapGraphBuilder;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Analyzes a heap dump file where it lies, read through small windows, with memory per object in primitive arrays
 * only: on the heap, or spilled to memory-mapped files where the heap is too small for them.
 *
 * <h2>Layers</h2>
 *
 * <p>{@code internal.format} reads the HPROF records and tells a visitor what it finds; {@code internal.graph} builds
 * the object graph from them, behind the {@code HeapGraph} interface; {@code internal.analysis} computes over that
 * interface alone (dominators, retained sizes, paths from GC roots, suspects). This class opens, runs and reports.
 */
public final class HeapAnalyzer {
    private HeapAnalyzer() {}

    /** The class histogram alone: one pass, memory per class rather than per object. */
    public static HeapAnalysis histogram(HeapDump dump, AnalysisOptions options) {
        long start = System.nanoTime();
        DumpFile file = dump.file();
        try {
            HistogramVisitor histogram = new HistogramVisitor(file, options.layout());
            HprofReader.read(file, histogram, options.progress(), "reading the dump");
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
        try (HeapGraph graph = open(dump, options)) {
            FullAnalysis.Result found = FullAnalysis.run(graph, options);
            return new HeapAnalysis.Success(
                    dump.path(), since(start), found.histogram(), found.retention(), found.suspects());
        } catch (CorruptDumpException e) {
            return new HeapAnalysis.Failure(dump.path(), since(start), e.reason());
        } catch (UncheckedIOException e) {
            return new HeapAnalysis.Failure(dump.path(), since(start), cannotRead(dump.path(), e));
        }
    }

    /**
     * The shortest path from a GC root to each object, by strong references: no dominators, only the object graph, a
     * breadth-first search and a pass to name the references on the way.
     */
    public static RootPathSearch pathsFromGcRoots(HeapDump dump, List<Long> objectIds, AnalysisOptions options) {
        long start = System.nanoTime();
        try (HeapGraph graph = open(dump, options)) {
            int[] nodes = new int[objectIds.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = graph.indexOf(objectIds.get(i));
                if (nodes[i] < 0) {
                    return new RootPathSearch.Failure(
                            dump.path(),
                            since(start),
                            String.format(Locale.ROOT, "the dump holds no object 0x%x", objectIds.get(i)));
                }
            }
            return new RootPathSearch.Success(
                    dump.path(), since(start), GcRootPaths.pathsTo(graph, objectIds, nodes, options.progress()));
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
     * be shared; what stays is the structure: classes, field names, references and sizes. Never writes over an
     * existing file.
     */
    public static Redaction redact(Path source, Path target, Progress progress) {
        return Redactor.redact(source, target, progress);
    }

    private static HeapGraph open(HeapDump dump, AnalysisOptions options) throws CorruptDumpException {
        return HeapGraphBuilder.open(dump.file(), options.layout(), options.spillDirectory(), options.progress());
    }

    /** Why a dump could not be read, or its index not be spilled; an unchecked one says it in its cause. */
    private static String cannotRead(Path dump, Exception e) {
        return "cannot read " + dump + ": " + (e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
