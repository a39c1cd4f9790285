package dev.memwarden.hprof.internal.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the analyzer keeps its arrays of an entry per object or per reference: on the Java heap, or spilled to
 * memory-mapped temporary files, which the page cache holds instead of the heap, so that a dump of tens of millions of
 * objects is analyzed with {@code -Xmx512m}. Either way the arrays are {@link IntBuffer}s and {@link LongBuffer}s, so
 * one run sees one kind and the compiler inlines its accessors.
 *
 * <p>A spilled file is deleted as soon as it is mapped: nothing is left behind, whatever ends the process. Its pages
 * count in the resident set for as long as it is mapped, so an array no longer needed is {@link #release released}
 * and unmapped at once, and {@link #close} unmaps the rest: the process holds the most it needs at once, not the sum
 * of all it ever asked for. No array may be touched once released or closed. Thread-safe: the analyzer's second
 * thread takes arrays from the same memory.
 */
public final class IndexMemory implements AutoCloseable {
    private final @Nullable Path spillDirectory;
    /** The mapped file behind each spilled array handed out. */
    private final IdentityHashMap<Buffer, SpillFile> mappings = new IdentityHashMap<>();

    private IndexMemory(@Nullable Path spillDirectory) {
        this.spillDirectory = spillDirectory;
    }

    public static IndexMemory heap() {
        return new IndexMemory(null);
    }

    public static IndexMemory spilledTo(Path directory) {
        return new IndexMemory(directory);
    }

    /** Zeroed ints. */
    public synchronized IntBuffer ints(long count) {
        Path directory = spillDirectory;
        return directory == null
                ? IntBuffer.allocate(Math.toIntExact(count))
                : spilled(directory, count * Integer.BYTES, ByteBuffer::asIntBuffer);
    }

    /** Zeroed longs. */
    public synchronized LongBuffer longs(long count) {
        Path directory = spillDirectory;
        return directory == null
                ? LongBuffer.allocate(Math.toIntExact(count))
                : spilled(directory, count * Long.BYTES, ByteBuffer::asLongBuffer);
    }

    private <B extends Buffer> B spilled(Path directory, long bytes, Function<ByteBuffer, B> view) {
        if (bytes > Integer.MAX_VALUE) {
            throw new UncheckedIOException(new IOException("cannot spill an array of " + bytes
                    + " bytes; a spilled array holds up to 2 GiB (512 million references)"));
        }
        SpillFile file;
        try {
            file = SpillFile.create(directory, (int) bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot spill the index to " + directory + ": " + e, e));
        }
        B array = view.apply(file.buffer.duplicate().order(ByteOrder.nativeOrder()));
        mappings.put(array, file);
        return array;
    }

    /** Says that an array will not be read again: its file is unmapped. A heap array is left to the collector. */
    public synchronized void release(Buffer array) {
        SpillFile file = mappings.remove(array);
        if (file != null) {
            file.close();
        }
    }

    /** Releases every array still held: none of them may be read after. */
    @Override
    public synchronized void close() {
        for (SpillFile file : mappings.values()) {
            file.close();
        }
        mappings.clear();
    }
}
