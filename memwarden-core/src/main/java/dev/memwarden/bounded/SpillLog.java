package dev.memwarden.bounded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * An append-only log of byte records in segment files, read back in order: the disk half of a
 * {@link BoundedQueue} with {@link BoundedQueue.Overflow#SPILL}.
 *
 * <p>Layout: {@code segment-<seq>.log} files, each starting with an 8-byte magic, then records of
 * {@code [int length][int CRC32C][payload]}, each written with one {@code write}. A segment is deleted once read
 * to its end; {@code read.pos} keeps the read position across a clean close, and is rewritten whenever a segment
 * is finished, so after a crash at most the records of one partly read segment are delivered again.
 *
 * <p>Recovery on open checks every record. A bad record at the end of the newest segment is a torn write from a
 * crash: the segment is truncated there. A bad record elsewhere is corruption: the rest of that segment is
 * skipped. Both are counted. Records reach the page cache before {@link #append} returns, which survives the
 * process being killed; {@code sync} also forces them to the device, which survives the machine losing power.
 *
 * <p>Not thread-safe: the owning queue serializes access.
 */
final class SpillLog implements AutoCloseable {
    private static final byte[] MAGIC = "MWSPILL1".getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_HEADER = 8;
    static final int MAX_RECORD = 64 << 20;
    private static final String POSITION_FILE = "read.pos";

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final boolean sync;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long nextSeq;
    private long records;
    private long bytesOnDisk;
    private long readOffset;
    private @Nullable FileChannel writer;
    private @Nullable FileChannel reader;
    private final Recovery recovery;

    /** What recovery found when the log was opened. */
    record Recovery(long records, long tornTails, long corruptSegments, long bytesSkipped) {}

    private static final class Segment {
        final long seq;
        final Path path;
        long size;

        Segment(long seq, Path path, long size) {
            this.seq = seq;
            this.path = path;
            this.size = size;
        }
    }

    private SpillLog(Path directory, long maxBytes, long segmentBytes, boolean sync) throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.sync = sync;
        createOwnerOnly(directory);
        this.recovery = recover();
    }

    static SpillLog open(Path directory, long maxBytes, long segmentBytes, boolean sync) throws IOException {
        return new SpillLog(directory, maxBytes, segmentBytes, sync);
    }

    private static void createOwnerOnly(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException raced) {
            // Created meanwhile: fine.
        }
    }

    Recovery recovery() {
        return recovery;
    }

    long records() {
        return records;
    }

    long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** Appends a record; false when it would take the log past its byte budget. */
    boolean append(byte[] payload) throws IOException {
        if (payload.length > MAX_RECORD) {
            throw new IllegalArgumentException(
                    "a spilled element is at most " + MAX_RECORD + " bytes, not " + payload.length);
        }
        long recordSize = RECORD_HEADER + (long) payload.length;
        Segment last = segments.peekLast();
        boolean roll = last == null || writer == null || last.size + recordSize > segmentBytes;
        long needed = recordSize + (roll ? MAGIC.length : 0);
        if (bytesOnDisk + needed > maxBytes) {
            return false;
        }
        if (roll) {
            last = startSegment();
        }
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate((int) recordSize);
        record.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        FileChannel channel = writerChannel();
        while (record.hasRemaining()) {
            channel.write(record);
        }
        if (sync) {
            channel.force(false);
        }
        last.size += recordSize;
        bytesOnDisk += recordSize;
        records++;
        return true;
    }

    /** The oldest record not yet read, or null when the log is empty. */
    byte @Nullable [] poll() throws IOException {
        if (records == 0) {
            return null;
        }
        while (true) {
            Segment first = segments.getFirst();
            if (readOffset >= first.size) {
                finishSegment(first);
                continue;
            }
            FileChannel channel = readerChannel(first);
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            readFully(channel, header, readOffset);
            int length = header.getInt(0);
            byte[] payload = new byte[length];
            readFully(channel, ByteBuffer.wrap(payload), readOffset + RECORD_HEADER);
            readOffset += RECORD_HEADER + (long) length;
            records--;
            if (records == 0) {
                reset();
            }
            return payload;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("spill segment ended early at " + at);
            }
            at += n;
        }
    }

    private Segment startSegment() throws IOException {
        closeWriter();
        long seq = nextSeq++;
        Path path = directory.resolve(segmentName(seq));
        FileChannel channel = FileChannel.open(
                path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        channel.write(ByteBuffer.wrap(MAGIC));
        writer = channel;
        Segment segment = new Segment(seq, path, MAGIC.length);
        if (segments.isEmpty()) {
            readOffset = MAGIC.length;
        }
        segments.addLast(segment);
        bytesOnDisk += MAGIC.length;
        return segment;
    }

    private FileChannel writerChannel() throws IOException {
        FileChannel channel = writer;
        if (channel == null) {
            throw new IOException("spill log has no open segment");
        }
        return channel;
    }

    private FileChannel readerChannel(Segment segment) throws IOException {
        FileChannel channel = reader;
        if (channel == null) {
            channel = FileChannel.open(segment.path, StandardOpenOption.READ);
            reader = channel;
        }
        return channel;
    }

    /** The first segment is read to its end: delete it and move on. */
    private void finishSegment(Segment finished) throws IOException {
        closeReader();
        if (segments.size() == 1) {
            closeWriter();
        }
        segments.removeFirst();
        Files.deleteIfExists(finished.path);
        bytesOnDisk -= finished.size;
        Segment next = segments.peekFirst();
        readOffset = MAGIC.length;
        savePosition(next == null ? nextSeq : next.seq, readOffset);
    }

    /** Everything was read: drop all segments so the disk is given back. */
    private void reset() throws IOException {
        closeReader();
        closeWriter();
        for (Segment segment : segments) {
            Files.deleteIfExists(segment.path);
        }
        segments.clear();
        bytesOnDisk = 0;
        readOffset = MAGIC.length;
        savePosition(nextSeq, readOffset);
    }

    private void savePosition(long seq, long offset) throws IOException {
        Path temp = directory.resolve(POSITION_FILE + ".tmp");
        Files.writeString(temp, seq + " " + offset + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(temp, directory.resolve(POSITION_FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, directory.resolve(POSITION_FILE), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String segmentName(long seq) {
        return String.format("segment-%020d.log", seq);
    }

    private Recovery recover() throws IOException {
        long readSeq = 0;
        long savedOffset = MAGIC.length;
        Path position = directory.resolve(POSITION_FILE);
        if (Files.exists(position)) {
            String[] parts =
                    Files.readString(position, StandardCharsets.US_ASCII).trim().split(" ", -1);
            if (parts.length == 2) {
                try {
                    readSeq = Long.parseLong(parts[0]);
                    savedOffset = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    readSeq = 0; // an unreadable position: read everything again rather than lose it
                }
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = new ArrayList<>(list.filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.log"))
                    .sorted()
                    .toList());
        }
        long found = 0;
        long torn = 0;
        long corrupt = 0;
        long skipped = 0;
        nextSeq = readSeq;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long seq = Long.parseLong(file.getFileName().toString().substring(8, 28));
            nextSeq = Math.max(nextSeq, seq + 1);
            if (seq < readSeq) {
                Files.deleteIfExists(file); // consumed before the last close or crash
                continue;
            }
            boolean newest = i == files.size() - 1;
            long start = seq == readSeq ? Math.max(savedOffset, MAGIC.length) : MAGIC.length;
            Scan scan = scan(file, start);
            if (scan.validEnd < scan.fileSize) {
                skipped += scan.fileSize - scan.validEnd;
                if (newest) {
                    torn++;
                } else {
                    corrupt++;
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(scan.validEnd);
                }
            }
            if (scan.validEnd <= MAGIC.length && scan.records == 0) {
                Files.deleteIfExists(file);
                continue;
            }
            if (segments.isEmpty()) {
                readOffset = start;
            }
            segments.addLast(new Segment(seq, file, scan.validEnd));
            bytesOnDisk += scan.validEnd;
            found += scan.records;
        }
        records = found;
        if (segments.isEmpty()) {
            readOffset = MAGIC.length;
        }
        // New records go to a new segment: the recovered ones are never appended to.
        return new Recovery(found, torn, corrupt, skipped);
    }

    private record Scan(long records, long validEnd, long fileSize) {}

    /** Walks the records of a segment from {@code start}; stops at the first that does not check out. */
    private static Scan scan(Path file, long start) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            if (size < MAGIC.length) {
                return new Scan(0, 0, size);
            }
            readFully(channel, magic, 0);
            if (!Arrays.equals(magic.array(), MAGIC)) {
                return new Scan(0, 0, size);
            }
            long offset = start;
            long count = 0;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            while (offset + RECORD_HEADER <= size) {
                header.clear();
                readFully(channel, header, offset);
                int length = header.getInt(0);
                int expectedCrc = header.getInt(4);
                if (length < 0 || length > MAX_RECORD || offset + RECORD_HEADER + length > size) {
                    break;
                }
                byte[] payload = new byte[length];
                readFully(channel, ByteBuffer.wrap(payload), offset + RECORD_HEADER);
                CRC32C crc = new CRC32C();
                crc.update(payload);
                if ((int) crc.getValue() != expectedCrc) {
                    break;
                }
                offset += RECORD_HEADER + (long) length;
                count++;
            }
            return new Scan(count, offset, size);
        }
    }

    private void closeReader() throws IOException {
        FileChannel channel = reader;
        reader = null;
        if (channel != null) {
            channel.close();
        }
    }

    private void closeWriter() throws IOException {
        FileChannel channel = writer;
        writer = null;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void close() throws IOException {
        Segment first = segments.peekFirst();
        savePosition(first == null ? nextSeq : first.seq, first == null ? MAGIC.length : readOffset);
        closeReader();
        closeWriter();
    }
}
