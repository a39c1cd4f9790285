package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.RootFrame;
import dev.memwarden.hprof.internal.format.BasicType;
import dev.memwarden.hprof.internal.format.ClassDump;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.Names;
import dev.memwarden.hprof.internal.format.RootKind;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Every object of a dump and every reference between them, as arrays indexed by {@link ObjectIds} rank, on the heap or
 * spilled ({@link IndexMemory}): no Java object per heap object. The references of object i are {@code
 * edges[edgeStart[i] .. edgeStart[i + 1])}, the indexes of what it points to: an instance's reference fields and its
 * class, an array's non-null elements and its class, a class's superclass, loader, signers, protection domain and
 * static fields. References to objects the dump does not hold are left out.
 *
 * <p>Memory: 8.5 bytes per object for the identifiers, 4 for the type, 4 for the shallow size, 4 for the edge start,
 * and 4 per reference; a bit per reference marks the weak ones.
 */
final class ObjectGraph implements HeapGraph {
    private final DumpFile dump;
    final ObjectIds ids;
    private final Types types;
    private final DumpCensus census;
    private final ObjectLayout layout;
    /** Each object's index into {@link #types}. */
    private final IntBuffer typeOf;
    /** Each object's shallow size in units of 8 bytes, unsigned: up to 32 GB. */
    private final IntBuffer sizeUnits;

    private final IntBuffer edgeStart;
    private final IntBuffer edges;
    /** The references that do not keep their target alive: the referent of a weak, soft, phantom or final reference. */
    private final BitSet weakEdges;
    /** The objects the JVM kept alive as GC roots; an object held by two roots is here twice. */
    private final int[] roots;

    /** Each root's index among the census's, which knows its kind and where a root in a thread's stack is held. */
    private final int[] censusRoots;

    private final IndexMemory memory;
    private @Nullable Map<Long, Long> loaderOfClass;

    ObjectGraph(
            DumpFile dump,
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
        this.dump = dump;
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

    @Override
    public int size() {
        return typeOf.capacity();
    }

    @Override
    public int firstEdge(int node) {
        return edgeStart.get(node);
    }

    @Override
    public int endEdge(int node) {
        return edgeStart.get(node + 1);
    }

    @Override
    public int target(int edge) {
        return edges.get(edge);
    }

    @Override
    public boolean isWeak(int edge) {
        return weakEdges.get(edge);
    }

    @Override
    public int rootCount() {
        return roots.length;
    }

    @Override
    public int root(int i) {
        return roots[i];
    }

    @Override
    public ObjectLayout layout() {
        return layout;
    }

    @Override
    public IndexMemory memory() {
        return memory;
    }

    @Override
    public int typeOf(int node) {
        return typeOf.get(node);
    }

    @Override
    public long shallowBytes(int node) {
        return Integer.toUnsignedLong(sizeUnits.get(node)) << 3;
    }

    @Override
    public long id(int node) {
        return ids.id(node);
    }

    @Override
    public int indexOf(long id) {
        return ids.indexOf(id);
    }

    @Override
    public String describe(int node) {
        int type = typeOf.get(node);
        if (type == types.classObject()) {
            int described = types.ofClass(ids.id(node));
            if (described != Types.NOT_A_CLASS) {
                return "class " + types.name(described);
            }
        }
        return types.name(type);
    }

    @Override
    public boolean isClassLink(int node, int edge) {
        return edge == edgeStart.get(node) && types.linksItsClass(typeOf.get(node));
    }

    @Override
    public int typeCount() {
        return types.count();
    }

    @Override
    public String typeName(int type) {
        return types.name(type);
    }

    @Override
    public int classObjectType() {
        return types.classObject();
    }

    @Override
    public OptionalLong loaderId(int type) {
        Map<Long, Long> byClass = loaderOfClass;
        if (byClass == null) {
            byClass = new HashMap<>();
            for (ClassDump c : census.classes()) {
                byClass.put(c.classId(), c.loaderId());
            }
            loaderOfClass = byClass;
        }
        Long loader = byClass.get(types.classId(type));
        return loader == null ? OptionalLong.empty() : OptionalLong.of(loader);
    }

    @Override
    public RootKind rootKind(int root) {
        return census.rootKind(censusRoots[root]);
    }

    @Override
    public @Nullable RootFrame rootFrame(int root) {
        return census.rootFrame(censusRoots[root]).orElse(null);
    }

    @Override
    public List<StaticReference> staticReferences() {
        Names names = census.names();
        List<StaticReference> statics = new ArrayList<>();
        for (ClassDump c : census.classes()) {
            int classNode = ids.indexOf(c.classId());
            for (ClassDump.Field f : c.statics()) {
                int v = f.type() == BasicType.OBJECT && f.value() != 0 ? ids.indexOf(f.value()) : -1;
                if (v < 0 || classNode < 0) {
                    continue;
                }
                String name = names.string(f.nameId());
                statics.add(new StaticReference(
                        names.className(c.classId()) + "."
                                + (name != null ? name : String.format(Locale.ROOT, "<field 0x%x>", f.nameId())),
                        classNode,
                        f.value(),
                        v));
            }
        }
        return statics;
    }

    @Override
    public Map<Reference, String> labels(List<Reference> references, Progress progress) throws CorruptDumpException {
        return references.isEmpty()
                ? new HashMap<>()
                : ReferenceLabels.read(dump, census.idSize(), types, census.names(), references, progress);
    }

    /** Unmaps the arrays of the graph and of the analyses over it, if spilled: none may be read after. */
    @Override
    public void close() {
        memory.close();
    }
}
