package dev.memwarden.hprof;

import java.nio.file.Path;
import java.time.Duration;

/** The outcome of analyzing one heap dump: what was found, or why nothing could be. */
public sealed interface HeapAnalysis permits HeapAnalysis.Success, HeapAnalysis.Failure {
    Path dump();

    Duration took();

    /** The dump was read to its end. */
    record Success(Path dump, Duration took, ClassHistogram histogram) implements HeapAnalysis {}

    /**
     * The dump could not be read: {@code reason} says why, naming the offset and the record where the file is corrupt
     * or truncated.
     */
    record Failure(Path dump, Duration took, String reason) implements HeapAnalysis {}
}
