package dev.memwarden.hprof;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How an analysis runs: {@code AnalysisOptions.defaults().withTop(20).withSpillDirectory(dir)}.
 *
 * @param layout the object layout of the JVM that wrote the dump, or null to infer it (compressed oops on 64 bits)
 * @param top how many of the top dominators, and of the classes and fields that grew in a diff, to report
 * @param topStaticFields how many of the static fields retaining most to report
 * @param suspects whether to find the leak suspects and their paths: a search over the graph and one more pass over
 *     the file, which a diff does not need
 * @param spillDirectory where to spill the index to memory-mapped files, or null to spill to the temporary directory
 *     only if the index would not fit in the heap
 * @param progress told how far the analysis got, on the analyzing thread
 */
public record AnalysisOptions(
        @Nullable ObjectLayout layout,
        int top,
        int topStaticFields,
        boolean suspects,
        @Nullable Path spillDirectory,
        Progress progress) {
    private static final int DEFAULT_TOP = 10;

    public AnalysisOptions {
        if (top < 1) {
            throw new IllegalArgumentException("top is at least 1, not " + top);
        }
        if (topStaticFields < 0) {
            throw new IllegalArgumentException("topStaticFields cannot be negative: " + topStaticFields);
        }
    }

    /** The top 10, the layout inferred, suspects found, the index spilled only where the heap is too small. */
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(null, DEFAULT_TOP, DEFAULT_TOP, true, null, Progress.NONE);
    }

    public AnalysisOptions withLayout(@Nullable ObjectLayout objectLayout) {
        return new AnalysisOptions(objectLayout, top, topStaticFields, suspects, spillDirectory, progress);
    }

    /** How many dominators, static fields and growths to report. */
    public AnalysisOptions withTop(int count) {
        return new AnalysisOptions(layout, count, count, suspects, spillDirectory, progress);
    }

    public AnalysisOptions withTopStaticFields(int count) {
        return new AnalysisOptions(layout, top, count, suspects, spillDirectory, progress);
    }

    public AnalysisOptions withoutSuspects() {
        return new AnalysisOptions(layout, top, topStaticFields, false, spillDirectory, progress);
    }

    public AnalysisOptions withSpillDirectory(@Nullable Path directory) {
        return new AnalysisOptions(layout, top, topStaticFields, suspects, directory, progress);
    }

    public AnalysisOptions withProgress(Progress listener) {
        return new AnalysisOptions(layout, top, topStaticFields, suspects, spillDirectory, listener);
    }
}
