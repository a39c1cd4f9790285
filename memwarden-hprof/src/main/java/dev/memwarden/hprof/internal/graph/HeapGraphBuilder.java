package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.internal.SecondThread;
import dev.memwarden.hprof.internal.format.BasicType;
import dev.memwarden.hprof.internal.format.ClassDump;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofReader;
import dev.memwarden.hprof.internal.format.HprofVisitor;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link HeapGraph} from a dump in three more passes after the {@link DumpCensus}: one collects the object
 * identifiers, one counts each object's references, one writes them. Reading the file again costs less than
 * holding what one pass would have to keep (a raw identifier per reference). Each reads the file in two halves on
 * two threads where it can.
 */
public final class HeapGraphBuilder {
    /** The most references the graph's int-indexed arrays can hold. */
    static final long MAX_EDGES = Integer.MAX_VALUE - 8;

    /**
     * What the index may take per object at its peak, references included, with room to spare: on the service-like
     * heap of {@code HprofBench}, 24.4 million objects, the heap after collection peaked at 1.57 GB (64 bytes an
     * object) while the dominators were computed and the search from the GC roots ran beside them.
     */
    public static final long INDEX_BYTES_PER_OBJECT = 80;
    /** The part of the heap the index may take before it is spilled: the rest is for everything else. */
    public static final double HEAP_SHARE = 0.75;

    private HeapGraphBuilder() {}

    /**
     * The census, then the object graph on the heap or spilled: four passes over the file. Closing the graph unmaps
     * what it spilled.
     *
     * @param layout how objects are laid out in the heap the dump was taken of; null to infer it from the dump
     * @param spillDirectory where to spill the index; null to keep it on the heap unless it would not fit there
     */
    public static HeapGraph open(
            DumpFile file, @Nullable ObjectLayout layout, @Nullable Path spillDirectory, Progress progress)
            throws CorruptDumpException {
        DumpCensus census = new DumpCensus(file);
        HprofReader.read(file, census, progress, "reading classes");
        ObjectLayout chosen = layout != null ? layout : ObjectLayout.inferred(census.idSize());
        IndexMemory memory = memoryFor(census, spillDirectory, progress);
        boolean built = false;
        try {
            HeapGraph graph = build(file, census, chosen, memory, progress);
            built = true;
            return graph;
        } finally {
            if (!built) {
                memory.close();
            }
        }
    }

    /**
     * The heap, unless a spill directory is given or the index would take more than {@link #HEAP_SHARE} of the heap at
     * {@link #INDEX_BYTES_PER_OBJECT}.
     */
    private static IndexMemory memoryFor(DumpCensus census, @Nullable Path spillDirectory, Progress progress) {
        Path directory = spillDirectory;
        if (directory == null
                && census.objects() * INDEX_BYTES_PER_OBJECT
                        > Runtime.getRuntime().maxMemory() * HEAP_SHARE) {
            directory = Path.of(System.getProperty("java.io.tmpdir"));
        }
        if (directory == null) {
            return IndexMemory.heap();
        }
        progress.report("spilling the index to " + directory, 100);
        return IndexMemory.spilledTo(directory);
    }

    static HeapGraph build(DumpFile dump, DumpCensus census, ObjectLayout layout, IndexMemory memory, Progress progress)
            throws CorruptDumpException {
        return build(dump, census, layout, memory, progress, true);
    }

    /**
     * @param twoReaders whether the file may be read in two halves, where the census found a heap dump record to start
     *     the second at; a second thread reads it where there is a second processor ({@link SecondThread})
     */
    static HeapGraph build(
            DumpFile dump,
            DumpCensus census,
            ObjectLayout layout,
            IndexMemory memory,
            Progress progress,
            boolean twoReaders)
            throws CorruptDumpException {
        if (census.objects() > Integer.MAX_VALUE - 8) {
            throw new CorruptDumpException(
                    0, "the heap dump", census.objects() + " objects; memwarden-hprof reads up to 2^31");
        }
        int n = (int) census.objects();
        long secondHalf = twoReaders ? census.secondHalfStart() : dump.size();
        int firstHalfObjects = secondHalf < dump.size() ? (int) census.objectsBeforeSecondHalf() : n;
        LongBuffer idArray = memory.longs(n);
        inTwoHalves(
                dump,
                secondHalf,
                new IdCollector(idArray, 0, firstHalfObjects),
                reader -> new IdCollector(idArray, firstHalfObjects, n),
                HprofReader.reporting(progress, "indexing objects", dump.size()));
        ObjectIds ids = new ObjectIds(idArray, memory);
        Types types = new Types(census, layout);

        Linker linker = new Linker(dump, census.idSize(), ids, types, layout, memory);
        linker.add(inTwoHalves(
                dump,
                secondHalf,
                linker,
                linker::half,
                HprofReader.reporting(progress, "counting references", dump.size())));
        linker.startFilling();
        linker.add(inTwoHalves(
                dump,
                secondHalf,
                linker,
                linker::half,
                HprofReader.reporting(progress, "linking references", dump.size())));
        linker.finishFilling();

        int[] roots = new int[census.roots()];
        int[] censusRoots = new int[census.roots()];
        int found = 0;
        for (int i = 0; i < census.roots(); i++) {
            int node = ids.indexOf(census.rootId(i));
            if (node >= 0) {
                roots[found] = node;
                censusRoots[found++] = i;
            }
        }
        return new ObjectGraph(
                dump,
                ids,
                types,
                census,
                layout,
                linker.typeOf,
                linker.sizeUnits,
                linker.edgeStart,
                linker.edges,
                linker.weakEdges,
                Arrays.copyOf(roots, found),
                Arrays.copyOf(censusRoots, found),
                memory);
    }

    /**
     * One pass over the file, the second half on a second thread through its own reader where {@code secondHalf} is
     * inside the file. Each object is in one record, so the halves' visitors write disjoint parts of the arrays, and
     * the same parts, in the same order, as one reader would; the second half's visitor is returned, for the caller to
     * take back what it kept. The second thread halves both the parsing and the visitors' work, of which the
     * lookups of the references' targets take the most.
     */
    private static <V extends HprofVisitor> @Nullable V inTwoHalves(
            DumpFile dump, long secondHalf, V firstHalf, Function<DumpFile, V> secondHalfReadBy, LongConsumer progress)
            throws CorruptDumpException {
        long size = dump.size();
        if (secondHalf >= size) {
            HprofReader.read(dump, firstHalf, progress);
            return null;
        }
        try (SecondThread<V> second = SecondThread.start("second-half", () -> {
            try (DumpFile reader = dump.reopen()) {
                V half = secondHalfReadBy.apply(reader);
                HprofReader.read(reader, half, secondHalf, size, offset -> {});
                return half;
            }
        })) {
            // The first half reports for both, as if it were the whole file: the halves move at about one pace.
            HprofReader.read(dump, firstHalf, 0, secondHalf, offset -> progress.accept(offset / 2));
            V done = second.get();
            progress.accept(size);
            return done;
        }
    }

    /** Writes the identifiers of the objects it is given to their places, from {@code next} up to {@code end}. */
    private static final class IdCollector implements HprofVisitor {
        private final LongBuffer ids;
        private final int end;
        private int next;

        IdCollector(LongBuffer ids, int next, int end) {
            this.ids = ids;
            this.next = next;
            this.end = end;
        }

        private void add(long id, long offset, String record) throws CorruptDumpException {
            if (next == end) {
                throw new CorruptDumpException(offset, record, "more objects than the first pass counted");
            }
            ids.put(next++, id);
        }

        @Override
        public void classDump(ClassDump classDump) throws CorruptDumpException {
            add(classDump.classId(), 0, "CLASS DUMP");
        }

        @Override
        public void instance(long id, long classId, long dataOffset, long length) throws CorruptDumpException {
            add(id, dataOffset, "INSTANCE DUMP");
        }

        @Override
        public void objectArray(long id, long arrayClassId, long length, long elementsOffset)
                throws CorruptDumpException {
            add(id, elementsOffset, "OBJECT ARRAY DUMP");
        }

        @Override
        public void primitiveArray(long id, BasicType type, long length, long dataOffset) throws CorruptDumpException {
            add(id, dataOffset, "PRIMITIVE ARRAY DUMP");
        }
    }

    /** Counts each object's references on the first pass, writes them on the second; both read the same records. */
    private static final class Linker implements HprofVisitor {
        private final DumpFile dump;
        private final int idSize;
        private final ObjectIds ids;
        private final Types types;
        private final ObjectLayout layout;
        private final IndexMemory memory;
        final IntBuffer typeOf;
        final IntBuffer sizeUnits;
        final IntBuffer edgeStart;
        IntBuffer edges = IntBuffer.allocate(0);
        final BitSet weakEdges = new BitSet();
        private boolean filling;
        private long edgeCount;

        Linker(DumpFile dump, int idSize, ObjectIds ids, Types types, ObjectLayout layout, IndexMemory memory) {
            this(
                    dump,
                    idSize,
                    ids,
                    types,
                    layout,
                    memory,
                    memory.ints(ids.size()),
                    memory.ints(ids.size()),
                    memory.ints(ids.size() + 1L));
        }

        private Linker(
                DumpFile dump,
                int idSize,
                ObjectIds ids,
                Types types,
                ObjectLayout layout,
                IndexMemory memory,
                IntBuffer typeOf,
                IntBuffer sizeUnits,
                IntBuffer edgeStart) {
            this.dump = dump;
            this.idSize = idSize;
            this.ids = ids;
            this.types = types;
            this.layout = layout;
            this.memory = memory;
            this.typeOf = typeOf;
            this.sizeUnits = sizeUnits;
            this.edgeStart = edgeStart;
        }

        /**
         * A linker for this pass over another part of the file, through its own reader: it writes the same arrays
         * and keeps its own count and weak references, which {@link #add} takes back.
         */
        Linker half(DumpFile reader) {
            Linker half = new Linker(reader, idSize, ids, types, layout, memory, typeOf, sizeUnits, edgeStart);
            half.edges = edges;
            half.filling = filling;
            return half;
        }

        /** Takes back what a {@link #half} counted and marked; nothing when there was no second half. */
        void add(@Nullable Linker half) {
            if (half == null) {
                return;
            }
            edgeCount += half.edgeCount;
            weakEdges.or(half.weakEdges);
        }

        void startFilling() throws CorruptDumpException {
            if (edgeCount > MAX_EDGES) {
                throw new CorruptDumpException(
                        0, "the heap dump", edgeCount + " references; memwarden-hprof reads up to 2^31");
            }
            int n = ids.size();
            for (int i = 0; i < n; i++) {
                edgeStart.put(i + 1, edgeStart.get(i + 1) + edgeStart.get(i));
            }
            edges = memory.ints(edgeCount);
            filling = true;
        }

        /** Filling moved each start to the next object's start: move them back. */
        void finishFilling() {
            for (int i = ids.size(); i >= 1; i--) {
                edgeStart.put(i, edgeStart.get(i - 1));
            }
            edgeStart.put(0, 0);
        }

        @Override
        public void classDump(ClassDump c) throws CorruptDumpException {
            int node = node(c.classId(), 0, "CLASS DUMP");
            if (!filling) {
                long statics = 0;
                for (ClassDump.Field f : c.statics()) {
                    statics += f.type().sizeInHeap(layout);
                }
                // A class object is an instance of java.lang.Class that also holds the class's static fields.
                set(
                        node,
                        types.classObject(),
                        layout.instanceSize(types.classObjectSize() - layout.headerSize() + statics));
            }
            link(node, c.superId());
            link(node, c.loaderId());
            link(node, c.signersId());
            link(node, c.protectionDomainId());
            for (ClassDump.Field f : c.statics()) {
                if (f.type() == BasicType.OBJECT) {
                    link(node, f.value());
                }
            }
        }

        @Override
        public void instance(long id, long classId, long dataOffset, long length) throws CorruptDumpException {
            int node = node(id, dataOffset, "INSTANCE DUMP");
            int type = types.ofClass(classId);
            if (type == Types.NOT_A_CLASS) {
                throw new CorruptDumpException(
                        dataOffset,
                        "INSTANCE DUMP",
                        String.format("object 0x%x is of class 0x%x, which the dump does not hold", id, classId));
            }
            if (length != types.dataLength(type)) {
                throw new CorruptDumpException(
                        dataOffset,
                        "INSTANCE DUMP",
                        String.format(
                                "object 0x%x has %d bytes of fields, but its class %s declares %d",
                                id, length, types.name(type), types.dataLength(type)));
            }
            if (!filling) {
                set(node, type, types.instanceSize(type));
            }
            link(node, classId);
            int referent = types.referentOffset(type);
            for (int offset : types.referenceOffsets(type)) {
                if (link(node, dump.id(dataOffset + offset, idSize)) && filling && offset == referent) {
                    weakEdges.set(edgeStart.get(node) - 1); // filling moves the start past each edge it writes
                }
            }
        }

        @Override
        public void objectArray(long id, long arrayClassId, long length, long elementsOffset)
                throws CorruptDumpException {
            int node = node(id, elementsOffset, "OBJECT ARRAY DUMP");
            int type = types.ofClass(arrayClassId);
            if (type == Types.NOT_A_CLASS) {
                throw new CorruptDumpException(
                        elementsOffset,
                        "OBJECT ARRAY DUMP",
                        String.format("array 0x%x is of class 0x%x, which the dump does not hold", id, arrayClassId));
            }
            if (!filling) {
                set(node, type, layout.arraySize(length, layout.referenceSize()));
            }
            link(node, arrayClassId);
            for (long i = 0; i < length; i++) {
                link(node, dump.id(elementsOffset + i * idSize, idSize));
            }
        }

        @Override
        public void primitiveArray(long id, BasicType type, long length, long dataOffset) throws CorruptDumpException {
            int node = node(id, dataOffset, "PRIMITIVE ARRAY DUMP");
            if (!filling) {
                set(node, types.primitiveArray(type), layout.arraySize(length, type.sizeInHeap(layout)));
            }
        }

        private int node(long id, long offset, String record) throws CorruptDumpException {
            int node = ids.indexOf(id);
            if (node < 0) {
                throw new CorruptDumpException(offset, record, "the dump changed between two passes");
            }
            return node;
        }

        private void set(int node, int type, long shallowBytes) {
            typeOf.put(node, type);
            sizeUnits.put(node, (int) Math.min(shallowBytes >>> 3, 0xFFFF_FFFFL));
        }

        /** Adds the reference unless it is null or to an object the dump does not hold; says whether it did. */
        private boolean link(int from, long targetId) {
            if (targetId == 0) {
                return false;
            }
            int target = ids.indexOf(targetId);
            if (target < 0) {
                return false;
            }
            if (filling) {
                int at = edgeStart.get(from);
                edges.put(at, target);
                edgeStart.put(from, at + 1);
            } else {
                edgeStart.put(from + 1, edgeStart.get(from + 1) + 1);
                edgeCount++;
            }
            return true;
        }
    }
}
