package dev.memwarden.hprof;

import java.nio.IntBuffer;
import java.util.BitSet;

/**
 * Every object of a dump and every reference between them, as arrays indexed by {@link ObjectIds} rank, on the heap or
 * spilled ({@link IndexMemory}): no Java object per heap object. The references of object i are {@code
 * edges[edgeStart[i] .. edgeStart[i + 1])},
 * the indexes of what it points to: an instance's reference fields and its class, an array's non-null elements and its
 * class, a class's superclass, loader, signers, protection domain and static fields. References to objects the dump
 * does not hold are left out.
 *
 * <p>Memory: 8.5 bytes per object for the identifiers, 4 for the type, 4 for the shallow size, 4 for the edge start,
 * and 4 per reference; a bit per reference marks the weak ones.
 */
final class HeapGraph implements AutoCloseable {
    final ObjectIds ids;
    final Types types;
    final DumpCensus census;
    final ObjectLayout layout;
    /** Each object's index into {@link #types}. */
    final IntBuffer typeOf;
    /** Each object's shallow size in units of 8 bytes, unsigned: up to 32 GB. */
    final IntBuffer sizeUnits;

    final IntBuffer edgeStart;
    final IntBuffer edges;
    /** The references that do not keep their target alive: the referent of a weak, soft, phantom or final reference. */
    final BitSet weakEdges;
    /** The objects the JVM kept alive as GC roots; an object held by two roots is here twice. */
    final int[] roots;

    /** Each root's index among the census's, which knows its kind and where a root in a thread's stack is held. */
    final int[] censusRoots;
    /** Where the graph's arrays live, and where the analyses over it take theirs. */
    final IndexMemory memory;

    HeapGraph(
            ObjectIds ids,
            Types types,
            DumpCensus census,
            ObjectLayout layout,
            IntBuffer typeOf,
            IntBuffer sizeUnits,
            IntBuffer edgeStart,
            IntBuffer edges,
            BitSet weakEdges,
            int[] roots,
            int[] censusRoots,
            IndexMemory memory) {
        this.ids = ids;
        this.types = types;
        this.census = census;
        this.layout = layout;
        this.typeOf = typeOf;
        this.sizeUnits = sizeUnits;
        this.edgeStart = edgeStart;
        this.edges = edges;
        this.weakEdges = weakEdges;
        this.roots = roots;
        this.censusRoots = censusRoots;
        this.memory = memory;
    }

    /** Whether an edge is the reference from an instance or object array to its class, which the graph adds. */
    boolean isClassLink(int node, int edge) {
        return edge == edgeStart.get(node) && types.linksItsClass(typeOf.get(node));
    }

    int size() {
        return typeOf.capacity();
    }

    long shallowBytes(int node) {
        return Integer.toUnsignedLong(sizeUnits.get(node)) << 3;
    }

    /** What a person reads for an object: its class, or for a class object {@code class com.acme.Registry}. */
    String describe(int node) {
        int type = typeOf.get(node);
        if (type == types.classObject()) {
            int described = types.ofClass(ids.id(node));
            if (described != Types.NOT_A_CLASS) {
                return "class " + types.name(described);
            }
        }
        return types.name(type);
    }

    /** Unmaps the arrays of the graph and of the analyses over it, if spilled: none may be read after. */
    @Override
    public void close() {
        memory.close();
    }
}
