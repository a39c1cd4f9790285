package dev.memwarden.hprof.internal.format;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Writes a copy of a dump whose primitive arrays hold only zeros: the bytes of every string, every buffer, every
 * {@code char[]} and {@code long[]}, where passwords, tokens and customer data sit. Everything else stays, so the copy
 * analyzes as the original does: classes, field names, references, sizes, and the values of primitive fields (an
 * {@code int} count, a {@code long} timestamp), which are rarely secret and often what an analysis needs.
 *
 * <p>The copy is written next to the target under a temporary name, zeroed in place as one
 * pass reads it, and renamed to the target only once the whole dump has been read: a corrupt dump leaves nothing
 * behind, and an existing target is never overwritten.
 */
public final class Redactor implements HprofVisitor {
    private final DumpFile copy;
    private int idSize;
    private long arrays;
    private long bytes;

    private Redactor(DumpFile copy) {
        this.copy = copy;
    }

    public static Redaction redact(Path source, Path target, Progress progress) {
        long start = System.nanoTime();
        if (Files.exists(target)) {
            return new Redaction.Failure(
                    source, target, since(start), target + " exists; redact never writes over a file");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.copy(source, part);
            try {
                Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the copy keeps what its directory gives it.
            }
            Redactor redactor;
            try (DumpFile copy = DumpFile.openWritable(part)) {
                redactor = new Redactor(copy);
                HprofReader.read(copy, redactor, progress, "zeroing arrays");
                copy.force();
            }
            Files.move(part, target); // without REPLACE_EXISTING: refuses a target that appeared meanwhile
            return new Redaction.Success(source, target, since(start), redactor.arrays, redactor.bytes);
        } catch (CorruptDumpException e) {
            deleteQuietly(part);
            return new Redaction.Failure(source, target, since(start), e.reason());
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(part);
            return new Redaction.Failure(
                    source, target, since(start), e.getFile() + " exists; redact never writes over a file");
        } catch (IOException e) {
            deleteQuietly(part);
            return new Redaction.Failure(source, target, since(start), "cannot copy " + source + ": " + e);
        } catch (UncheckedIOException e) {
            deleteQuietly(part);
            return new Redaction.Failure(source, target, since(start), "cannot zero " + part + ": " + e.getCause());
        }
    }

    @Override
    public void header(int idSize, long timestampMillis) {
        this.idSize = idSize;
    }

    @Override
    public void primitiveArray(long id, BasicType type, long length, long dataOffset) {
        long size = length * type.sizeInFile(idSize);
        copy.zero(dataOffset, size);
        arrays++;
        bytes += size;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Best effort: the failure being reported matters more than the temporary file.
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
