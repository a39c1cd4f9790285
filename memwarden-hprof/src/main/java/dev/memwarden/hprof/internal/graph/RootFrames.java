package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.RootFrame;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.Names;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dump's stack traces, kept to say where a root in a thread's stack is held: each thread's trace, each trace's
 * frames (their identifiers stay in the file until asked for), each frame's method, source file and line, and each
 * class serial's class. Memory per thread, frame and class, never per object.
 */
final class RootFrames {
    private record Frame(long methodNameId, long sourceFileId, int classSerial, int line) {}

    private record Trace(long offset, int frames) {}

    private record ThreadRoot(long objectId, int traceSerial) {}

    private final DumpFile dump;
    private final Names names;
    private int idSize = 8;
    private final Map<Long, Frame> frames = new HashMap<>();
    private final Map<Integer, Trace> traces = new HashMap<>();
    private final Map<Integer, ThreadRoot> threads = new HashMap<>();
    private final Map<Integer, Long> classes = new HashMap<>();

    RootFrames(DumpFile dump, Names names) {
        this.dump = dump;
        this.names = names;
    }

    void idSize(int idSize) {
        this.idSize = idSize;
    }

    void classSerial(int classSerial, long classId) {
        classes.put(classSerial, classId);
    }

    void stackFrame(long frameId, long methodNameId, long sourceFileId, int classSerial, int line) {
        frames.put(frameId, new Frame(methodNameId, sourceFileId, classSerial, line));
    }

    void stackTrace(int traceSerial, long offset, int frameCount) {
        traces.put(traceSerial, new Trace(offset, frameCount));
    }

    void threadRoot(long threadObjectId, int threadSerial, int traceSerial) {
        threads.putIfAbsent(threadSerial, new ThreadRoot(threadObjectId, traceSerial));
    }

    /**
     * The thread and frame of a root at this depth of this thread's stack; empty where the dump does not name the
     * thread, without the method where it has no such frame.
     */
    Optional<RootFrame> frame(int threadSerial, int depth) {
        ThreadRoot thread = threads.get(threadSerial);
        if (thread == null) {
            return Optional.empty();
        }
        Trace trace = traces.get(thread.traceSerial());
        Frame frame = null;
        if (trace != null && depth >= 0 && depth < trace.frames()) {
            frame = frames.get(dump.id(trace.offset() + (long) depth * idSize, idSize));
        }
        if (frame == null) {
            return Optional.of(new RootFrame(thread.objectId(), depth, null, null, 0));
        }
        Long classId = classes.get(frame.classSerial());
        String method = names.string(frame.methodNameId());
        String qualified = classId == null || method == null ? method : names.className(classId) + "." + method;
        return Optional.of(
                new RootFrame(thread.objectId(), depth, qualified, names.string(frame.sourceFileId()), frame.line()));
    }
}
