package dev.memwarden.hprof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the analyzer keeps its arrays of an entry per object or per reference: on the Java heap, or spilled to
 * memory-mapped temporary files, which the page cache holds instead of the heap, so that a dump of tens of millions of
 * objects is analyzed with {@code -Xmx512m}. Either way the arrays are {@link IntBuffer}s and {@link LongBuffer}s, so
 * one run sees one kind and the compiler inlines its accessors.
 *
 * <p>A spilled file is deleted as soon as it is mapped: nothing is left behind, whatever ends the process. An unused
 * mapping is unmapped only when the collector finds it, which a small heap may not do for a long time, so arrays no
 * longer needed are {@link #release released} and their files reused by the next arrays that fit: the process holds
 * the most it needs at once, not the sum of all it ever asked for.
 */
final class IndexMemory {
    private final @Nullable Path spillDirectory;
    /** The mapped file behind each spilled array handed out. */
    private final IdentityHashMap<Buffer, ByteBuffer> mappings = new IdentityHashMap<>();

    private final List<ByteBuffer> released = new ArrayList<>();

    private IndexMemory(@Nullable Path spillDirectory) {
        this.spillDirectory = spillDirectory;
    }

    static IndexMemory heap() {
        return new IndexMemory(null);
    }

    static IndexMemory spilledTo(Path directory) {
        return new IndexMemory(directory);
    }

    /** Zeroed ints. */
    IntBuffer ints(long count) {
        return spillDirectory == null
                ? IntBuffer.allocate(Math.toIntExact(count))
                : spilled(count * Integer.BYTES, ByteBuffer::asIntBuffer);
    }

    /** Zeroed longs. */
    LongBuffer longs(long count) {
        return spillDirectory == null
                ? LongBuffer.allocate(Math.toIntExact(count))
                : spilled(count * Long.BYTES, ByteBuffer::asLongBuffer);
    }

    private <B extends Buffer> B spilled(long bytes, Function<ByteBuffer, B> view) {
        if (bytes > Integer.MAX_VALUE) {
            throw new UncheckedIOException(new IOException("cannot spill an array of " + bytes
                    + " bytes; a spilled array holds up to 2 GiB (512 million references)"));
        }
        ByteBuffer file = mapping((int) bytes);
        B array = view.apply(file.duplicate().clear().limit((int) bytes).slice().order(ByteOrder.nativeOrder()));
        mappings.put(array, file);
        return array;
    }

    /** Says that an array will not be read again: its file may hold the next. A heap array is left to the collector. */
    void release(Buffer array) {
        ByteBuffer file = mappings.remove(array);
        if (file != null) {
            released.add(file);
        }
    }

    /** A zeroed mapping of at least {@code size} bytes: the smallest released one that fits, or a new file. */
    private ByteBuffer mapping(int size) {
        ByteBuffer reused = null;
        for (ByteBuffer candidate : released) {
            if (candidate.capacity() >= size && (reused == null || candidate.capacity() < reused.capacity())) {
                reused = candidate;
            }
        }
        if (reused != null) {
            released.remove(reused);
            for (int i = 0; i + Long.BYTES <= size; i += Long.BYTES) {
                reused.putLong(i, 0);
            }
            for (int i = size & ~(Long.BYTES - 1); i < size; i++) {
                reused.put(i, (byte) 0);
            }
            return reused;
        }
        Path directory = spillDirectory;
        try {
            Path file;
            try {
                file = Files.createTempFile(
                        directory,
                        "memwarden-hprof-",
                        ".index",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                file = Files.createTempFile(directory, "memwarden-hprof-", ".index"); // not a POSIX file system
            }
            // Deleted on close; the mapping outlives the channel and keeps the file's pages until it is unmapped.
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot spill the index to " + directory + ": " + e, e));
        }
    }
}
