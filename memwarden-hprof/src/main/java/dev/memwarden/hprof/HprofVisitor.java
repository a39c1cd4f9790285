package dev.memwarden.hprof;

/**
 * What {@link HprofReader} finds, in file order. Offsets point into the {@link DumpFile}; nothing is copied, so a
 * visitor keeps only what its analysis needs.
 */
interface HprofVisitor {
    default void header(int idSize, long timestampMillis) {}

    /** A HEAP DUMP or HEAP DUMP SEGMENT record starts at this offset: a place where a reader may start. */
    default void heapDumpRecord(long offset) {}

    /** A UTF-8 string record: its identifier and where its bytes are. */
    default void string(long id, long offset, int length) {}

    default void loadClass(long classId, long nameId) {}

    default void root(long objectId, RootKind kind) {}

    default void classDump(ClassDump classDump) throws CorruptDumpException {}

    default void instance(long id, long classId, long dataOffset, long length) throws CorruptDumpException {}

    default void objectArray(long id, long arrayClassId, long length, long elementsOffset)
            throws CorruptDumpException {}

    default void primitiveArray(long id, BasicType type, long length, long dataOffset) throws CorruptDumpException {}
}
