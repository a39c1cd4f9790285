package dev.memwarden.hprof.internal.format;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A dump file read at absolute offsets through 16 windows of 256 KiB, each filled by one positional read. Mapping the
 * file instead would add every page read to the process's resident set, a 2 GB dump 2 GB of it; the windows keep 4
 * MiB of direct memory, whatever the size of the dump, and fit the direct memory limit of a heap as small as 16 MB.
 * The passes read in file order, so a window is read about once a pass.
 *
 * <p>A window is direct-mapped by its number, and reaches 8 bytes into the next one, so that no value read crosses
 * two windows. Callers check that what they read lies inside the file. Not thread-safe: one reader at a time.
 */
public final class DumpFile implements AutoCloseable {
    private static final int WINDOW_BITS = 18;
    static final int WINDOW = 1 << WINDOW_BITS;
    private static final int OVERLAP = 8;
    private static final int SLOTS = 16;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer[] slots = new ByteBuffer[SLOTS];
    /** The window each slot holds, or -1. */
    private final long[] held = new long[SLOTS];

    private DumpFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        Arrays.fill(held, -1);
    }

    public static DumpFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new DumpFile(file, channel, channel.size());
    }

    /** The same file opened again, with windows of its own: a reader for another thread. */
    public DumpFile reopen() throws IOException {
        return open(path);
    }

    /** Opened to be changed in place, as {@link #zero} does. */
    static DumpFile openWritable(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new DumpFile(file, channel, channel.size());
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    int u1(long offset) {
        return window(offset).get((int) (offset & (WINDOW - 1))) & 0xff;
    }

    int u2(long offset) {
        return window(offset).getShort((int) (offset & (WINDOW - 1))) & 0xffff;
    }

    /** An unsigned 4-byte value. */
    long u4(long offset) {
        return window(offset).getInt((int) (offset & (WINDOW - 1))) & 0xffff_ffffL;
    }

    long u8(long offset) {
        return window(offset).getLong((int) (offset & (WINDOW - 1)));
    }

    /** An identifier of 4 or 8 bytes. */
    public long id(long offset, int idSize) {
        return idSize == 4 ? u4(offset) : u8(offset);
    }

    byte[] bytes(long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) u1(offset + i);
        }
        return out;
    }

    /**
     * Overwrites [offset, offset + length) with zeros; the file must have been opened writable.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    void zero(long offset, long length) {
        long end = offset + length;
        try {
            for (long at = offset; at < end; ) {
                ByteBuffer zeros = ByteBuffer.wrap(ZEROS, 0, (int) Math.min(end - at, ZEROS.length));
                at += channel.write(zeros, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int s = 0; s < SLOTS; s++) {
            long start = held[s] << WINDOW_BITS;
            if (held[s] >= 0 && start < end && offset < start + WINDOW + OVERLAP) {
                held[s] = -1; // what it holds is no longer what the file holds
            }
        }
    }

    /** Writes what was changed to the storage device. */
    void force() throws IOException {
        channel.force(false);
    }

    /**
     * The window that holds the offset, read from the file if its slot holds another.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    private ByteBuffer window(long offset) {
        long number = offset >>> WINDOW_BITS;
        int slot = (int) (number & (SLOTS - 1));
        ByteBuffer window = slots[slot];
        if (held[slot] == number && window != null) {
            return window;
        }
        return read(slot, number);
    }

    private ByteBuffer read(int slot, long number) {
        ByteBuffer window = slots[slot];
        if (window == null) {
            // No larger than the file: a small dump, as the fuzz tests read by the thousand, gets a small window.
            window = ByteBuffer.allocateDirect((int) Math.min(WINDOW + OVERLAP, size))
                    .order(ByteOrder.BIG_ENDIAN);
            slots[slot] = window;
        }
        long start = number << WINDOW_BITS;
        int length = (int) Math.max(0, Math.min(size - start, WINDOW + OVERLAP));
        window.clear().limit(length);
        held[slot] = -1; // until the read completes
        try {
            while (window.hasRemaining()) {
                if (channel.read(window, start + window.position()) < 0) {
                    throw new EOFException("the file shrank to " + (start + window.position()) + " bytes while read");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        window.clear().limit(length); // absolute gets past the end of the file fail as on a mapping
        held[slot] = number;
        return window;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
