package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.RootFrame;
import dev.memwarden.hprof.internal.format.RootKind;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The object graph of one dump as the analyses read it: the references, each object's type, size and identifier, the
 * types' names, the static fields, the roots' kinds, and the names of references read back from the dump on demand.
 * Closing it releases its arrays and those the analyses took from its {@link #memory()}.
 */
public interface HeapGraph extends ReferenceGraph, AutoCloseable {
    /** A reference from one object to another, by identifier. */
    record Reference(long from, long to) {}

    /** A static field that holds an object of the dump. */
    record StaticReference(String field, int classNode, long valueId, int valueNode) {}

    ObjectLayout layout();

    /** Where the analyses over this graph take their arrays: the heap, or files mapped beside the dump. */
    IndexMemory memory();

    int typeOf(int node);

    long shallowBytes(int node);

    /** The object's identifier in the dump. */
    long id(int node);

    /** The node of an identifier, or -1 if the dump holds no such object. */
    int indexOf(long id);

    /** What a person reads for an object: its class, or for a class object {@code class com.acme.Registry}. */
    String describe(int node);

    /** Whether an edge is the reference from an instance or object array to its class, which the graph adds. */
    boolean isClassLink(int node, int edge);

    int typeCount();

    String typeName(int type);

    /** The type of class objects, {@code java.lang.Class}. */
    int classObjectType();

    /** The identifier of the loader of a type's class; empty for types no class of the dump stands for. */
    OptionalLong loaderId(int type);

    /** Why the JVM keeps the i-th root alive. */
    RootKind rootKind(int root);

    /** For a root in a thread's stack, the thread and the frame. */
    @Nullable
    RootFrame rootFrame(int root);

    /** Every static field that holds an object of the dump, named {@code com.acme.Registry.INSTANCE}. */
    List<StaticReference> staticReferences();

    /**
     * Names each reference as a person reads it ({@code .field}, {@code [index]}, {@code static FIELD}, {@code <class
     * loader>}) by one more pass over the dump.
     */
    Map<Reference, String> labels(List<Reference> references, Progress progress) throws CorruptDumpException;

    @Override
    void close();
}
