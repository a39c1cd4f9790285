package dev.memwarden.hprof.internal.format;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.Progress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Reads HPROF 1.0.1 and 1.0.2 (the JVM's heap dumps) record by record and tells a visitor what it finds: one pass,
 * no allocation per object. Every length the file states is checked against its record and the file before it is
 * used, so a truncated or corrupt dump ends in a {@link CorruptDumpException} naming the offset and the record, never
 * in a hang or an OutOfMemoryError.
 */
public final class HprofReader {
    private static final String MAGIC = "JAVA PROFILE 1.0.";
    private static final int MAX_HEADER = 32;
    private static final long PROGRESS_STEP = 64L << 20;

    private final DumpFile dump;
    private final HprofVisitor visitor;
    private final LongConsumer progress;
    private int idSize;

    private HprofReader(DumpFile dump, HprofVisitor visitor, LongConsumer progress) {
        this.dump = dump;
        this.visitor = visitor;
        this.progress = progress;
    }

    /** Reads the whole dump, reporting a step's progress as the share of the file read. */
    public static void read(DumpFile dump, HprofVisitor visitor, Progress progress, String step)
            throws CorruptDumpException {
        read(dump, visitor, reporting(progress, step, dump.size()));
    }

    /** Reports a step's progress through a pass over a file of a size, as the share of the file read. */
    public static LongConsumer reporting(Progress progress, String step, long size) {
        return read -> progress.report(step, (int) (100 * read / Math.max(1, size)));
    }

    /**
     * Reads the whole dump.
     *
     * @param progress told the offset reached, about every 64 MB and at the end
     */
    public static void read(DumpFile dump, HprofVisitor visitor, LongConsumer progress) throws CorruptDumpException {
        read(dump, visitor, 0, dump.size(), progress);
    }

    /**
     * Reads the header, then the records that start in {@code [from, to)}.
     *
     * @param from the start of a record, as {@link HprofVisitor#heapDumpRecord} gives one, or 0 for the first
     */
    public static void read(DumpFile dump, HprofVisitor visitor, long from, long to, LongConsumer progress)
            throws CorruptDumpException {
        new HprofReader(dump, visitor, progress).read(from, to);
    }

    private void read(long from, long to) throws CorruptDumpException {
        long pos = Math.max(header(), from);
        long size = dump.size();
        long nextProgress = pos + PROGRESS_STEP;
        while (pos < to) {
            if (size - pos < 9) {
                throw new CorruptDumpException(pos, "a record header", "the file ends inside a record header");
            }
            int tag = dump.u1(pos);
            long length = dump.u4(pos + 5);
            long body = pos + 9;
            long end = body + length;
            if (end > size) {
                throw new CorruptDumpException(
                        pos,
                        recordName(tag),
                        "the record says it has " + length + " bytes, but the file ends " + (size - body)
                                + " bytes after its header: the dump is truncated");
            }
            switch (tag) {
                case 0x01 -> {
                    need(body, idSize, end, pos, "STRING");
                    if (length - idSize > Integer.MAX_VALUE) {
                        throw new CorruptDumpException(pos, "STRING", "a string of " + length + " bytes");
                    }
                    visitor.string(dump.id(body, idSize), body + idSize, (int) (length - idSize));
                }
                case 0x02 -> {
                    need(body, 8 + 2L * idSize, end, pos, "LOAD CLASS");
                    long classId = dump.id(body + 4, idSize);
                    visitor.loadClass(classId, dump.id(body + 8 + idSize, idSize));
                    visitor.classSerial((int) dump.u4(body), classId);
                }
                case 0x04 -> {
                    need(body, 4L * idSize + 8, end, pos, "STACK FRAME");
                    visitor.stackFrame(
                            dump.id(body, idSize),
                            dump.id(body + idSize, idSize),
                            dump.id(body + 3L * idSize, idSize),
                            (int) dump.u4(body + 4L * idSize),
                            (int) dump.u4(body + 4L * idSize + 4));
                }
                case 0x05 -> {
                    need(body, 12, end, pos, "STACK TRACE");
                    long frames = dump.u4(body + 8);
                    need(body + 12, frames * idSize, end, pos, "STACK TRACE");
                    visitor.stackTrace((int) dump.u4(body), (int) dump.u4(body + 4), body + 12, (int) frames);
                }
                case 0x0C, 0x1C -> {
                    visitor.heapDumpRecord(pos);
                    heapDump(body, end);
                }
                default -> {
                    // Thread starts and ends, CPU samples, allocation sites: not what the analyses read.
                }
            }
            pos = end;
            if (pos >= nextProgress) {
                progress.accept(pos);
                nextProgress = pos + PROGRESS_STEP;
            }
        }
        progress.accept(Math.min(pos, size));
    }

    private long header() throws CorruptDumpException {
        long size = dump.size();
        int nul = -1;
        for (int i = 0; i < Math.min(size, MAX_HEADER); i++) {
            if (dump.u1(i) == 0) {
                nul = i;
                break;
            }
        }
        String magic = nul < 0 ? "" : new String(dump.bytes(0, nul), StandardCharsets.US_ASCII);
        if (!magic.startsWith(MAGIC)) {
            throw new CorruptDumpException(
                    0, "the file header", "not an HPROF heap dump: it does not start with '" + MAGIC + "x'");
        }
        long pos = nul + 1L;
        if (size - pos < 12) {
            throw new CorruptDumpException(pos, "the file header", "the file ends inside its header");
        }
        long ids = dump.u4(pos);
        if (ids != 4 && ids != 8) {
            throw new CorruptDumpException(
                    pos, "the file header", "identifiers of " + ids + " bytes; HPROF has 4 or 8");
        }
        idSize = (int) ids;
        visitor.header(idSize, dump.u8(pos + 4));
        return pos + 12;
    }

    /** The sub-records of one HEAP DUMP or HEAP DUMP SEGMENT record, which spans [pos, end). */
    private void heapDump(long pos, long end) throws CorruptDumpException {
        while (pos < end) {
            int tag = dump.u1(pos);
            long p = pos + 1;
            switch (tag) {
                case 0xFF -> pos = root(pos, p, end, RootKind.UNKNOWN, 0);
                case 0x01 -> pos = root(pos, p, end, RootKind.JNI_GLOBAL, idSize); // and the reference's id
                case 0x02 -> pos = frameRoot(pos, p, end, RootKind.JNI_LOCAL);
                case 0x03 -> pos = frameRoot(pos, p, end, RootKind.JAVA_FRAME);
                case 0x04 -> pos = root(pos, p, end, RootKind.NATIVE_STACK, 4); // thread serial
                case 0x05 -> pos = root(pos, p, end, RootKind.STICKY_CLASS, 0);
                case 0x06 -> pos = root(pos, p, end, RootKind.THREAD_BLOCK, 4); // thread serial
                case 0x07 -> pos = root(pos, p, end, RootKind.MONITOR_USED, 0);
                case 0x08 -> {
                    pos = root(pos, p, end, RootKind.THREAD_OBJECT, 8);
                    visitor.threadRoot(dump.id(p, idSize), (int) dump.u4(p + idSize), (int) dump.u4(p + idSize + 4));
                }
                case 0x20 -> pos = classDump(pos, p, end);
                case 0x21 -> {
                    need(p, 8L + 2L * idSize, end, pos, "INSTANCE DUMP");
                    long id = dump.id(p, idSize);
                    long classId = dump.id(p + 4 + idSize, idSize);
                    long length = dump.u4(p + 4 + 2L * idSize);
                    long data = p + 8 + 2L * idSize;
                    need(data, length, end, pos, "INSTANCE DUMP");
                    visitor.instance(id, classId, data, length);
                    pos = data + length;
                }
                case 0x22 -> {
                    need(p, 8L + 2L * idSize, end, pos, "OBJECT ARRAY DUMP");
                    long id = dump.id(p, idSize);
                    long length = dump.u4(p + 4 + idSize);
                    long classId = dump.id(p + 8 + idSize, idSize);
                    long elements = p + 8 + 2L * idSize;
                    need(elements, length * idSize, end, pos, "OBJECT ARRAY DUMP");
                    visitor.objectArray(id, classId, length, elements);
                    pos = elements + length * idSize;
                }
                case 0x23 -> {
                    need(p, 9L + idSize, end, pos, "PRIMITIVE ARRAY DUMP");
                    long id = dump.id(p, idSize);
                    long length = dump.u4(p + 4 + idSize);
                    BasicType type = BasicType.of(dump.u1(p + 8 + idSize));
                    if (type == null || type == BasicType.OBJECT) {
                        throw new CorruptDumpException(
                                pos,
                                "PRIMITIVE ARRAY DUMP",
                                "element type " + dump.u1(p + 8 + idSize) + " is not a primitive type");
                    }
                    long data = p + 9 + idSize;
                    need(data, length * type.sizeInFile(idSize), end, pos, "PRIMITIVE ARRAY DUMP");
                    visitor.primitiveArray(id, type, length, data);
                    pos = data + length * type.sizeInFile(idSize);
                }
                default ->
                    throw new CorruptDumpException(
                            pos,
                            "a heap dump record",
                            String.format(Locale.ROOT, "unknown sub-record tag 0x%02x", tag));
            }
        }
    }

    private long root(long pos, long p, long end, RootKind kind, int extra) throws CorruptDumpException {
        need(p, idSize + (long) extra, end, pos, "a GC root");
        visitor.root(dump.id(p, idSize), kind);
        return p + idSize + extra;
    }

    /** A root held in a thread's stack, which names the thread and the depth of its frame. */
    private long frameRoot(long pos, long p, long end, RootKind kind) throws CorruptDumpException {
        long next = root(pos, p, end, kind, 8);
        visitor.frameRoot(dump.id(p, idSize), (int) dump.u4(p + idSize), (int) dump.u4(p + idSize + 4));
        return next;
    }

    private long classDump(long pos, long p, long end) throws CorruptDumpException {
        String record = "CLASS DUMP";
        need(p, 7L * idSize + 8 + 2, end, pos, record);
        long classId = dump.id(p, idSize);
        long superId = dump.id(p + 4 + idSize, idSize);
        long loaderId = dump.id(p + 4 + 2L * idSize, idSize);
        long signersId = dump.id(p + 4 + 3L * idSize, idSize);
        long domainId = dump.id(p + 4 + 4L * idSize, idSize);
        p += 7L * idSize + 8; // class, stack serial, super, loader, signers, domain, two reserved, instance size
        int constants = dump.u2(p);
        p += 2;
        for (int i = 0; i < constants; i++) {
            need(p, 3, end, pos, record);
            p += 3 + valueSize(dump.u1(p + 2), pos, record);
        }
        need(p, 2, end, pos, record);
        int staticCount = dump.u2(p);
        p += 2;
        List<ClassDump.Field> statics = new ArrayList<>(staticCount);
        for (int i = 0; i < staticCount; i++) {
            need(p, idSize + 1L, end, pos, record);
            BasicType type = type(dump.u1(p + idSize), pos, record);
            int size = type.sizeInFile(idSize);
            need(p + idSize + 1, size, end, pos, record);
            statics.add(new ClassDump.Field(dump.id(p, idSize), type, value(p + idSize + 1, size)));
            p += idSize + 1L + size;
        }
        need(p, 2, end, pos, record);
        int fieldCount = dump.u2(p);
        p += 2;
        need(p, fieldCount * (idSize + 1L), end, pos, record);
        List<ClassDump.Field> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            fields.add(new ClassDump.Field(dump.id(p, idSize), type(dump.u1(p + idSize), pos, record), 0));
            p += idSize + 1L;
        }
        visitor.classDump(new ClassDump(classId, superId, loaderId, signersId, domainId, statics, fields));
        return p;
    }

    /** A value of 1, 2, 4 or 8 bytes, unsigned below 8. */
    private long value(long offset, int size) {
        return switch (size) {
            case 1 -> dump.u1(offset);
            case 2 -> dump.u2(offset);
            case 4 -> dump.u4(offset);
            default -> dump.u8(offset);
        };
    }

    private int valueSize(int code, long pos, String record) throws CorruptDumpException {
        return type(code, pos, record).sizeInFile(idSize);
    }

    private static BasicType type(int code, long pos, String record) throws CorruptDumpException {
        BasicType type = BasicType.of(code);
        if (type == null) {
            throw new CorruptDumpException(pos, record, "unknown value type " + code);
        }
        return type;
    }

    /** That [from, from + bytes) lies inside the record that ends at end. */
    private static void need(long from, long bytes, long end, long pos, String record) throws CorruptDumpException {
        if (bytes < 0 || from + bytes > end) {
            throw new CorruptDumpException(
                    pos,
                    record,
                    "it needs " + bytes + " bytes at offset " + from + ", past the end of its enclosing record at "
                            + end);
        }
    }

    private static String recordName(int tag) {
        return switch (tag) {
            case 0x01 -> "STRING";
            case 0x02 -> "LOAD CLASS";
            case 0x0C -> "HEAP DUMP";
            case 0x1C -> "HEAP DUMP SEGMENT";
            default -> String.format(Locale.ROOT, "a record of tag 0x%02x", tag);
        };
    }
}
