package dev.memwarden.hprof;

import java.nio.file.Path;
import java.time.Duration;

/** The outcome of writing a copy of a dump without the contents of its primitive arrays. */
public sealed interface Redaction permits Redaction.Success, Redaction.Failure {
    Path source();

    Path target();

    Duration took();

    /**
     * The copy is written.
     *
     * @param arrays the primitive arrays whose contents were zeroed
     * @param bytesZeroed their bytes in the file
     */
    record Success(Path source, Path target, Duration took, long arrays, long bytesZeroed) implements Redaction {}

    /** Nothing was written: {@code reason} says why (the source is not a readable dump, the target exists). */
    record Failure(Path source, Path target, Duration took, String reason) implements Redaction {}
}
