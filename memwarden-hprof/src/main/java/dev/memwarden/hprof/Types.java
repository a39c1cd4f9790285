package dev.memwarden.hprof;

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

    private final List<String> names = new ArrayList<>();
    private final Map<Long, Integer> byClassId = new HashMap<>();
    private final List<int[]> referenceOffsets = new ArrayList<>();
    private final List<long[]> referenceNameIds = new ArrayList<>();
    private final List<Long> dataLengths = new ArrayList<>();
    private final List<Long> instanceSizes = new ArrayList<>();
    private final List<Long> classIds = new ArrayList<>();
    private final List<Integer> referentOffsets = new ArrayList<>();
    private final Map<BasicType, Integer> primitiveArrayTypes = new EnumMap<>(BasicType.class);
    private final int classObjectType;
    private final long classObjectSize;

    Types(DumpCensus census, ObjectLayout layout) {
        int idSize = census.idSize();
        Map<Long, ClassDump> classes = new HashMap<>();
        for (ClassDump c : census.classes()) {
            classes.put(c.classId(), c);
        }
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
            int type = add(name, c.classId(), offset, layout.instanceSize(heapBytes));
            referenceOffsets.set(
                    type, offsets.stream().mapToInt(Integer::intValue).toArray());
            referenceNameIds.set(
                    type, nameIds.stream().mapToLong(Long::longValue).toArray());
            referentOffsets.set(type, referentOffset);
            if (name.equals("java.lang.Class")) {
                classType = type;
            }
        }
        for (BasicType t : BasicType.values()) {
            if (t != BasicType.OBJECT) {
                primitiveArrayTypes.put(t, add(t.javaName + "[]", 0, 0, 0));
            }
        }
        if (classType == NOT_A_CLASS) {
            classType = add("java.lang.Class", 0, 0, layout.instanceSize(0));
        }
        this.classObjectType = classType;
        this.classObjectSize = instanceSizes.get(classType);
    }

    private int add(String name, long classId, long dataLength, long instanceSize) {
        names.add(name);
        classIds.add(classId);
        referenceOffsets.add(new int[0]);
        referenceNameIds.add(new long[0]);
        referentOffsets.add(NO_REFERENT);
        dataLengths.add(dataLength);
        instanceSizes.add(instanceSize);
        if (classId != 0) {
            byClassId.put(classId, names.size() - 1);
        }
        return names.size() - 1;
    }

    int count() {
        return names.size();
    }

    String name(int type) {
        return names.get(type);
    }

    /** The type of the objects of a dumped class, or {@link #NOT_A_CLASS}. */
    int ofClass(long classId) {
        Integer type = byClassId.get(classId);
        return type == null ? NOT_A_CLASS : type;
    }

    /** The identifier of a type's class object; 0 for primitive arrays. */
    long classId(int type) {
        return classIds.get(type);
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
        return referenceOffsets.get(type);
    }

    /** The name identifiers of the fields at {@link #referenceOffsets}. */
    long[] referenceNameIds(int type) {
        return referenceNameIds.get(type);
    }

    /**
     * Where a weak, soft, phantom or final reference holds its referent, which does not keep it alive; or {@link
     * #NO_REFERENT}.
     */
    int referentOffset(int type) {
        return referentOffsets.get(type);
    }

    /** Whether an object of the type references its class: instances and object arrays do, class objects and
     * primitive arrays do not in the graph. */
    boolean linksItsClass(int type) {
        return type != classObjectType && classIds.get(type) != 0;
    }

    /** The bytes of an instance's data in the dump, its superclasses' fields included. */
    long dataLength(int type) {
        return dataLengths.get(type);
    }

    long instanceSize(int type) {
        return instanceSizes.get(type);
    }
}
