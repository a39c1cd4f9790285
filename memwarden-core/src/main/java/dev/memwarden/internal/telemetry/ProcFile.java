package dev.memwarden.internal.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * A kernel-generated text file (procfs, cgroupfs) kept open and re-read from offset 0 into one preallocated
 * buffer, so that a sample costs one {@code pread} and no allocation. seq_file-backed files regenerate their
 * content on every read at offset 0.
 *
 * <p>Values are parsed straight from the bytes; a file larger than the buffer is read up to the buffer's size,
 * which is why callers size it for the keys they need. Not thread-safe: one sampler thread owns it.
 */
final class ProcFile implements AutoCloseable {
    static final long ABSENT = Long.MIN_VALUE;

    private final Path path;
    private final ByteBuffer buffer;
    private @Nullable FileChannel channel;
    private int length;

    private ProcFile(Path path, FileChannel channel, int capacity) {
        this.path = path;
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(capacity);
    }

    /** Opens the file, or returns null when the platform does not have it. */
    static @Nullable ProcFile open(Path path, int capacity) {
        try {
            return new ProcFile(path, FileChannel.open(path, StandardOpenOption.READ), capacity);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    Path path() {
        return path;
    }

    /** Reads the whole file again; false when it can no longer be read (it is then closed). */
    boolean refresh() {
        FileChannel ch = channel;
        if (ch == null) {
            return false;
        }
        buffer.clear();
        try {
            long offset = 0;
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, offset);
                if (n <= 0) {
                    break;
                }
                offset += n;
            }
            length = buffer.position();
            return true;
        } catch (IOException e) {
            length = 0;
            close();
            return false;
        }
    }

    /**
     * The number after {@code key} on the line that starts with it ({@code "VmRSS:\t  1234 kB"}), multiplied by
     * 1024 when the line ends in kB; ABSENT when there is no such line.
     */
    long keyed(String key) {
        byte[] bytes = buffer.array();
        int lineStart = 0;
        while (lineStart < length) {
            if (startsWith(bytes, lineStart, key)) {
                int i = lineStart + key.length();
                // The key must be followed by a separator, so "rss" does not match "rss_huge".
                if (i < length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == ':')) {
                    return number(bytes, i);
                }
            }
            lineStart = nextLine(bytes, lineStart);
        }
        return ABSENT;
    }

    /** The {@code index}-th (from 0) space-separated number on the first line, e.g. a field of /proc/self/statm. */
    long field(int index) {
        byte[] bytes = buffer.array();
        int i = 0;
        for (int field = 0; field < index; field++) {
            while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
                i++;
            }
            i = skipSpace(bytes, i);
        }
        return number(bytes, i);
    }

    /** The first number in the file, or {@code unlimitedValue} when the file says {@code max}. */
    long single(long unlimitedValue) {
        byte[] bytes = buffer.array();
        int i = skipSpace(bytes, 0);
        if (startsWith(bytes, i, "max")) {
            return unlimitedValue;
        }
        return number(bytes, i);
    }

    private long number(byte[] bytes, int from) {
        int i = from;
        while (i < length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == ':')) {
            i++;
        }
        if (i >= length || bytes[i] < '0' || bytes[i] > '9') {
            return ABSENT;
        }
        long value = 0;
        while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
            int digit = bytes[i] - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + digit;
            i++;
        }
        i = skipSpace(bytes, i);
        if (startsWith(bytes, i, "kB")) {
            value = value > Long.MAX_VALUE / 1024 ? Long.MAX_VALUE : value * 1024;
        }
        return value;
    }

    private int skipSpace(byte[] bytes, int from) {
        int i = from;
        while (i < length && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }

    private int nextLine(byte[] bytes, int from) {
        int i = from;
        while (i < length && bytes[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    private boolean startsWith(byte[] bytes, int at, String prefix) {
        if (at + prefix.length() > length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (bytes[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing to do: the file was only read.
            }
        }
    }
}
