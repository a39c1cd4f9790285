package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.internal.format.BasicType;
import dev.memwarden.hprof.internal.format.ClassDump;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The types of a dump's objects, numbered: each dumped class, then each primitive array type, and {@code
 * java.lang.Class} for the class objects if the dump has no class of that name. For a class it knows where its
 * instances hold references (offsets into an instance's data, its superclasses' fields included), their field names,
 * and the shallow size of an instance under the layout.
 */
final class Types {
    static final int NOT_A_CLASS = -1;
    /** The type is no {@link java.lang.ref.Reference}. */
    static final int NO_REFERENT = -1;

    private final String[] names;
    private final ClassIndex byClassId;
    private final int[][] referenceOffsets;
    private final long[][] referenceNameIds;
    private final long[] dataLengths;
    private final long[] instanceSizes;
    private final long[] classIds;
    private final int[] referentOffsets;
    private final Map<BasicType, Integer> primitiveArrayTypes = new EnumMap<>(BasicType.class);
    private final int classObjectType;
    private final long classObjectSize;

    Types(DumpCensus census, ObjectLayout layout) {
        int idSize = census.idSize();
        Map<Long, ClassDump> classes = new HashMap<>();
        for (ClassDump c : census.classes()) {
            classes.put(c.classId(), c);
        }
        Rows rows = new Rows();
        int classType = NOT_A_CLASS;
        for (ClassDump c : census.classes()) {
            List<Integer> offsets = new ArrayList<>();
            List<Long> nameIds = new ArrayList<>();
            long offset = 0;
            long heapBytes = 0;
            int referentOffset = NO_REFERENT;
            ClassDump k = c;
            // Own fields first, then each superclass's; a cycle or a missing superclass ends the walk.
            for (int depth = 0; k != null && depth < 1000; depth++) {
                boolean reference = census.names().className(k.classId()).equals("java.lang.ref.Reference");
                for (ClassDump.Field f : k.instanceFields()) {
                    if (f.type() == BasicType.OBJECT) {
                        offsets.add((int) offset);
                        nameIds.add(f.nameId());
                        if (reference && "referent".equals(census.names().string(f.nameId()))) {
                            referentOffset = (int) offset;
                        }
                    }
                    offset += f.type().sizeInFile(idSize);
                    heapBytes += f.type().sizeInHeap(layout);
                }
                k = k.superId() == 0 ? null : classes.get(k.superId());
            }
            String name = census.names().className(c.classId());
            int type = rows.add(
                    name,
                    c.classId(),
                    offset,
                    layout.instanceSize(heapBytes),
                    offsets.stream().mapToInt(Integer::intValue).toArray(),
                    nameIds.stream().mapToLong(Long::longValue).toArray(),
                    referentOffset);
            if (name.equals("java.lang.Class")) {
                classType = type;
            }
        }
        for (BasicType t : BasicType.values()) {
            if (t != BasicType.OBJECT) {
                primitiveArrayTypes.put(t, rows.add(t.javaName + "[]", 0, 0, 0));
            }
        }
        if (classType == NOT_A_CLASS) {
            classType = rows.add("java.lang.Class", 0, 0, layout.instanceSize(0));
        }
        this.names = rows.names.toArray(String[]::new);
        this.classIds = rows.classIds.stream().mapToLong(Long::longValue).toArray();
        this.byClassId = new ClassIndex(classIds);
        this.referenceOffsets = rows.referenceOffsets.toArray(int[][]::new);
        this.referenceNameIds = rows.referenceNameIds.toArray(long[][]::new);
        this.dataLengths = rows.dataLengths.stream().mapToLong(Long::longValue).toArray();
        this.instanceSizes =
                rows.instanceSizes.stream().mapToLong(Long::longValue).toArray();
        this.referentOffsets =
                rows.referentOffsets.stream().mapToInt(Integer::intValue).toArray();
        this.classObjectType = classType;
        this.classObjectSize = instanceSizes[classType];
    }

    /** The types as they are numbered, before the tables are fixed in arrays, which the hot lookups read. */
    private static final class Rows {
        final List<String> names = new ArrayList<>();
        final List<Long> classIds = new ArrayList<>();
        final List<int[]> referenceOffsets = new ArrayList<>();
        final List<long[]> referenceNameIds = new ArrayList<>();
        final List<Long> dataLengths = new ArrayList<>();
        final List<Long> instanceSizes = new ArrayList<>();
        final List<Integer> referentOffsets = new ArrayList<>();

        int add(String name, long classId, long dataLength, long instanceSize) {
            return add(name, classId, dataLength, instanceSize, new int[0], new long[0], NO_REFERENT);
        }

        int add(
                String name,
                long classId,
                long dataLength,
                long instanceSize,
                int[] offsets,
                long[] nameIds,
                int referentOffset) {
            names.add(name);
            classIds.add(classId);
            referenceOffsets.add(offsets);
            referenceNameIds.add(nameIds);
            referentOffsets.add(referentOffset);
            dataLengths.add(dataLength);
            instanceSizes.add(instanceSize);
            return names.size() - 1;
        }
    }

    /**
     * Class identifiers to types, by open addressing over primitive arrays: the graph's builders look up the class of
     * every object in the dump, and a map of boxed identifiers took a tenth of their time.
     */
    private static final class ClassIndex {
        private final long[] keys;
        private final int[] types;
        private final int shift;

        /** @param classIds each type's class identifier, 0 for the types without one */
        ClassIndex(long[] classIds) {
            int bits = 1;
            while ((1 << bits) < 2 * classIds.length) {
                bits++;
            }
            this.keys = new long[1 << bits];
            this.types = new int[1 << bits];
            this.shift = 64 - bits;
            for (int type = 0; type < classIds.length; type++) {
                long id = classIds[type];
                if (id == 0) {
                    continue;
                }
                int slot = slot(id);
                while (keys[slot] != 0 && keys[slot] != id) {
                    slot = (slot + 1) & (keys.length - 1);
                }
                keys[slot] = id;
                types[slot] = type; // a class dumped twice is known by its last type
            }
        }

        int typeOf(long classId) {
            if (classId == 0) {
                return NOT_A_CLASS;
            }
            for (int slot = slot(classId); ; slot = (slot + 1) & (keys.length - 1)) {
                long key = keys[slot];
                if (key == classId) {
                    return types[slot];
                }
                if (key == 0) {
                    return NOT_A_CLASS;
                }
            }
        }

        private int slot(long id) {
            return (int) ((id * 0x9E3779B97F4A7C15L) >>> shift);
        }
    }

    int count() {
        return names.length;
    }

    String name(int type) {
        return names[type];
    }

    /** The type of the objects of a dumped class, or {@link #NOT_A_CLASS}. */
    int ofClass(long classId) {
        return byClassId.typeOf(classId);
    }

    /** The identifier of a type's class object; 0 for primitive arrays. */
    long classId(int type) {
        return classIds[type];
    }

    int primitiveArray(BasicType elementType) {
        Integer type = primitiveArrayTypes.get(elementType);
        if (type == null) {
            throw new IllegalArgumentException("not a primitive type: " + elementType);
        }
        return type;
    }

    /** The type of class objects. */
    int classObject() {
        return classObjectType;
    }

    /** The shallow size of a class object before its static fields: an instance of {@code java.lang.Class}. */
    long classObjectSize() {
        return classObjectSize;
    }

    /** Where an instance's data holds references, in bytes from its start. */
    int[] referenceOffsets(int type) {
        return referenceOffsets[type];
    }

    /** The name identifiers of the fields at {@link #referenceOffsets}. */
    long[] referenceNameIds(int type) {
        return referenceNameIds[type];
    }

    /**
     * Where a weak, soft, phantom or final reference holds its referent, which does not keep it alive; or {@link
     * #NO_REFERENT}.
     */
    int referentOffset(int type) {
        return referentOffsets[type];
    }

    /** Whether an object of the type references its class: instances and object arrays do, class objects and
     * primitive arrays do not in the graph. */
    boolean linksItsClass(int type) {
        return type != classObjectType && classIds[type] != 0;
    }

    /** The bytes of an instance's data in the dump, its superclasses' fields included. */
    long dataLength(int type) {
        return dataLengths[type];
    }

    long instanceSize(int type) {
        return instanceSizes[type];
    }
}
