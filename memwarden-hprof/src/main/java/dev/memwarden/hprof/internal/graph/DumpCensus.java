package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.RootFrame;
import dev.memwarden.hprof.internal.format.BasicType;
import dev.memwarden.hprof.internal.format.ClassDump;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofVisitor;
import dev.memwarden.hprof.internal.format.Names;
import dev.memwarden.hprof.internal.format.RootKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The first pass over a dump, which the object index needs before it can be built: how many objects there are, the
 * classes with their names and fields, the strings that name them, the GC roots and the stack traces that say where
 * a root in a thread's stack is held. Memory per class, per root and per stack frame,
 * never per object.
 */
public final class DumpCensus implements HprofVisitor {
    private static final int NO_FRAME = Integer.MIN_VALUE;
    private final Names names;
    private final long size;
    private long secondHalf;
    private int idSize = 8;
    private long objects;
    private long objectsBeforeSecondHalf;
    private final List<ClassDump> classes = new ArrayList<>();
    private long[] rootIds = new long[1024];
    private RootKind[] rootKinds = new RootKind[1024];
    /** For a root in a thread's stack, the thread's serial and the frame's depth; {@link #NO_FRAME} for others. */
    private int[] rootThreads = new int[1024];

    private int[] rootDepths = new int[1024];
    private final RootFrames frames;
    private int roots;

    public DumpCensus(DumpFile dump) {
        this.names = new Names(dump);
        this.frames = new RootFrames(dump, names);
        this.size = dump.size();
        this.secondHalf = size;
    }

    @Override
    public void header(int idSize, long timestampMillis) {
        this.idSize = idSize;
        names.idSize(idSize);
        frames.idSize(idSize);
    }

    @Override
    public void heapDumpRecord(long offset) {
        if (secondHalf == size && offset >= size / 2) {
            secondHalf = offset;
            objectsBeforeSecondHalf = objects;
        }
    }

    @Override
    public void string(long id, long offset, int length) {
        names.string(id, offset);
    }

    @Override
    public void loadClass(long classId, long nameId) {
        names.loadClass(classId, nameId);
    }

    @Override
    public void root(long objectId, RootKind kind) {
        if (roots == rootIds.length) {
            rootIds = Arrays.copyOf(rootIds, roots * 2);
            rootKinds = Arrays.copyOf(rootKinds, roots * 2);
            rootThreads = Arrays.copyOf(rootThreads, roots * 2);
            rootDepths = Arrays.copyOf(rootDepths, roots * 2);
        }
        rootIds[roots] = objectId;
        rootDepths[roots] = NO_FRAME;
        rootKinds[roots++] = kind;
    }

    @Override
    public void frameRoot(long objectId, int threadSerial, int depth) {
        if (roots > 0 && rootIds[roots - 1] == objectId) {
            rootThreads[roots - 1] = threadSerial;
            rootDepths[roots - 1] = depth;
        }
    }

    @Override
    public void threadRoot(long threadObjectId, int threadSerial, int traceSerial) {
        frames.threadRoot(threadObjectId, threadSerial, traceSerial);
    }

    @Override
    public void classSerial(int classSerial, long classId) {
        frames.classSerial(classSerial, classId);
    }

    @Override
    public void stackFrame(long frameId, long methodNameId, long sourceFileId, int classSerial, int line) {
        frames.stackFrame(frameId, methodNameId, sourceFileId, classSerial, line);
    }

    @Override
    public void stackTrace(int traceSerial, int threadSerial, long offset, int frameCount) {
        frames.stackTrace(traceSerial, offset, frameCount);
    }

    @Override
    public void classDump(ClassDump classDump) {
        classes.add(classDump);
        objects++;
    }

    @Override
    public void instance(long id, long classId, long dataOffset, long length) {
        objects++;
    }

    @Override
    public void objectArray(long id, long arrayClassId, long length, long elementsOffset) {
        objects++;
    }

    @Override
    public void primitiveArray(long id, BasicType type, long length, long dataOffset) {
        objects++;
    }

    int idSize() {
        return idSize;
    }

    /**
     * The first heap dump record in the second half of the file, where a second reader may start; the file's size
     * where there is none (the whole heap in one record).
     */
    public long secondHalfStart() {
        return secondHalf;
    }

    /** The objects dumped before {@link #secondHalfStart()}: the index of the first object of the second half. */
    long objectsBeforeSecondHalf() {
        return secondHalf == size ? objects : objectsBeforeSecondHalf;
    }

    long objects() {
        return objects;
    }

    public List<ClassDump> classes() {
        return classes;
    }

    int roots() {
        return roots;
    }

    long rootId(int i) {
        return rootIds[i];
    }

    RootKind rootKind(int i) {
        return rootKinds[i];
    }

    /** Where a root in a thread's stack is held; empty for other roots. */
    Optional<RootFrame> rootFrame(int i) {
        return rootDepths[i] == NO_FRAME ? Optional.empty() : frames.frame(rootThreads[i], rootDepths[i]);
    }

    public Names names() {
        return names;
    }
}
