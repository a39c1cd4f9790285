package dev.memwarden.hprof;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The outcome of analyzing one heap dump: what was found, or why nothing could be. */
public sealed interface HeapAnalysis permits HeapAnalysis.Success, HeapAnalysis.Failure {
    Path dump();

    Duration took();

    /**
     * The dump was read to its end.
     *
     * @param retention what the GC roots keep alive; null where only the histogram was asked for
     */
    record Success(Path dump, Duration took, ClassHistogram histogram, @Nullable Retention retention)
            implements HeapAnalysis {

        /** The top classes and, where computed, the top dominators, as a person reads them. */
        public String describe(int top) {
            Retention r = retention;
            return histogram.describe(top) + (r == null ? "" : System.lineSeparator() + r.describe());
        }

        /** The same as JSON: {@code {"histogram": {...}, "retention": {...} | null}}. */
        public String toJson(int top) {
            Retention r = retention;
            return "{\"histogram\":" + histogram.toJson(top) + ",\"retention\":" + (r == null ? "null" : r.toJson())
                    + "}";
        }
    }

    /**
     * The dump could not be read: {@code reason} says why, naming the offset and the record where the file is corrupt
     * or truncated.
     */
    record Failure(Path dump, Duration took, String reason) implements HeapAnalysis {}
}
