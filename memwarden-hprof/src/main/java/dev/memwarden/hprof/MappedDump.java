package dev.memwarden.hprof;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A dump file mapped into memory in windows of 1 GiB, read at absolute offsets. The page cache holds the file, not
 * the heap, so a dump far larger than {@code -Xmx} can be read. Each window reaches 8 bytes into the next, so that no
 * value read crosses two windows. Callers check that what they read lies inside the file.
 */
final class MappedDump implements AutoCloseable {
    private static final long WINDOW = 1L << 30;
    private static final int OVERLAP = 8;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final FileChannel channel;
    private final MappedByteBuffer[] windows;
    private final long size;

    private MappedDump(FileChannel channel, MappedByteBuffer[] windows, long size) {
        this.channel = channel;
        this.windows = windows;
        this.size = size;
    }

    static MappedDump open(Path file) throws IOException {
        return open(file, false);
    }

    /** Mapped to be changed in place, as {@link #zero} does. */
    static MappedDump openWritable(Path file) throws IOException {
        return open(file, true);
    }

    private static MappedDump open(Path file, boolean writable) throws IOException {
        FileChannel channel = writable
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            int count = (int) Math.max(1, (size + WINDOW - 1) / WINDOW);
            MappedByteBuffer[] windows = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = i * WINDOW;
                long length = Math.min(size - start, WINDOW + OVERLAP);
                FileChannel.MapMode mode = writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
                windows[i] = channel.map(mode, start, Math.max(0, length));
                windows[i].order(ByteOrder.BIG_ENDIAN);
            }
            return new MappedDump(channel, windows, size);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long size() {
        return size;
    }

    int u1(long offset) {
        return windows[(int) (offset / WINDOW)].get((int) (offset % WINDOW)) & 0xff;
    }

    int u2(long offset) {
        return windows[(int) (offset / WINDOW)].getShort((int) (offset % WINDOW)) & 0xffff;
    }

    /** An unsigned 4-byte value. */
    long u4(long offset) {
        return windows[(int) (offset / WINDOW)].getInt((int) (offset % WINDOW)) & 0xffff_ffffL;
    }

    long u8(long offset) {
        return windows[(int) (offset / WINDOW)].getLong((int) (offset % WINDOW));
    }

    /** An identifier of 4 or 8 bytes. */
    long id(long offset, int idSize) {
        return idSize == 4 ? u4(offset) : u8(offset);
    }

    byte[] bytes(long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) u1(offset + i);
        }
        return out;
    }

    /** Overwrites [offset, offset + length) with zeros; the file must have been opened writable. */
    void zero(long offset, long length) {
        long end = offset + length;
        for (long at = offset; at < end; ) {
            int window = (int) (at / WINDOW);
            int position = (int) (at % WINDOW);
            int count = (int) Math.min(Math.min(end - at, ZEROS.length), WINDOW - position);
            windows[window].put(position, ZEROS, 0, count);
            at += count;
        }
    }

    /** Writes what was changed to the file. */
    void force() {
        for (MappedByteBuffer window : windows) {
            window.force();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
