package dev.memwarden.hprof.internal.format;

import dev.memwarden.hprof.CorruptDumpException;

/**
 * What {@link HprofReader} finds, in file order. Offsets point into the {@link DumpFile}; nothing is copied, so a
 * visitor keeps only what its analysis needs.
 */
public interface HprofVisitor {
    default void header(int idSize, long timestampMillis) {}

    /** A HEAP DUMP or HEAP DUMP SEGMENT record starts at this offset: a place where a reader may start. */
    default void heapDumpRecord(long offset) {}

    /** A UTF-8 string record: its identifier and where its bytes are. */
    default void string(long id, long offset, int length) {}

    default void loadClass(long classId, long nameId) {}

    /** The serial number a LOAD CLASS record gives a class, by which stack frames name theirs. */
    default void classSerial(int classSerial, long classId) {}

    /**
     * A STACK FRAME record.
     *
     * @param line the line number; 0 or below where there is none (-1 unknown, -2 compiled, -3 native)
     */
    default void stackFrame(long frameId, long methodNameId, long sourceFileId, int classSerial, int line) {}

    /** A STACK TRACE record: its frames' identifiers, innermost first, are {@code frames} ids at {@code offset}. */
    default void stackTrace(int traceSerial, int threadSerial, long offset, int frames) {}

    default void root(long objectId, RootKind kind) {}

    /** Follows {@link #root} for a thread's object: the serial of the thread and of its stack trace. */
    default void threadRoot(long threadObjectId, int threadSerial, int traceSerial) {}

    /** Follows {@link #root} for a root in a thread's stack: the thread's serial and the depth of the frame. */
    default void frameRoot(long objectId, int threadSerial, int depth) {}

    default void classDump(ClassDump classDump) throws CorruptDumpException {}

    default void instance(long id, long classId, long dataOffset, long length) throws CorruptDumpException {}

    default void objectArray(long id, long arrayClassId, long length, long elementsOffset)
            throws CorruptDumpException {}

    default void primitiveArray(long id, BasicType type, long length, long dataOffset) throws CorruptDumpException {}
}
