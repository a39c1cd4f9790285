package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.ClassHistogram;
import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.internal.format.BasicType;
import dev.memwarden.hprof.internal.format.ClassDump;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofVisitor;
import dev.memwarden.hprof.internal.format.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Counts instances and shallow bytes per class in one pass. Memory is per class, never per object: instances are
 * counted by class and sized at the end, once every class's fields are known (a dump may list an instance before its
 * class); arrays are sized as they come.
 */
public final class HistogramVisitor implements HprofVisitor {
    private final Names names;
    private final @Nullable ObjectLayout requested;
    private ObjectLayout layout = ObjectLayout.COMPRESSED;
    private final Map<Long, Shape> shapes = new HashMap<>();
    private final Map<Long, long[]> instancesByClass = new HashMap<>();
    private final Map<Long, long[]> objectArraysByClass = new HashMap<>();
    private final Map<BasicType, long[]> primitiveArrays = new EnumMap<>(BasicType.class);

    /** A class's superclass, loader and the heap bytes of its own instance fields. */
    private record Shape(long superId, long loaderId, long fieldBytes) {}

    public HistogramVisitor(DumpFile dump, @Nullable ObjectLayout requested) {
        this.names = new Names(dump);
        this.requested = requested;
    }

    @Override
    public void header(int idSize, long timestampMillis) {
        names.idSize(idSize);
        ObjectLayout chosen = requested;
        this.layout = chosen == null ? ObjectLayout.inferred(idSize) : chosen;
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
    public void classDump(ClassDump classDump) {
        long bytes = 0;
        for (ClassDump.Field field : classDump.instanceFields()) {
            bytes += field.type().sizeInHeap(layout);
        }
        shapes.put(classDump.classId(), new Shape(classDump.superId(), classDump.loaderId(), bytes));
    }

    @Override
    public void instance(long id, long classId, long dataOffset, long length) {
        instancesByClass.computeIfAbsent(classId, k -> new long[1])[0]++;
    }

    @Override
    public void objectArray(long id, long arrayClassId, long length, long elementsOffset) {
        long[] counts = objectArraysByClass.computeIfAbsent(arrayClassId, k -> new long[2]);
        counts[0]++;
        counts[1] += layout.arraySize(length, layout.referenceSize());
    }

    @Override
    public void primitiveArray(long id, BasicType type, long length, long dataOffset) {
        long[] counts = primitiveArrays.computeIfAbsent(type, k -> new long[2]);
        counts[0]++;
        counts[1] += layout.arraySize(length, type.sizeInHeap(layout));
    }

    public ClassHistogram histogram() {
        List<ClassHistogram.Row> rows = new ArrayList<>();
        List<Optional<String>> loaders = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : instancesByClass.entrySet()) {
            long count = e.getValue()[0];
            rows.add(new ClassHistogram.Row(
                    names.className(e.getKey()), count, count * layout.instanceSize(fieldBytes(e.getKey()))));
            loaders.add(loaderName(e.getKey()));
        }
        for (Map.Entry<Long, long[]> e : objectArraysByClass.entrySet()) {
            rows.add(new ClassHistogram.Row(names.className(e.getKey()), e.getValue()[0], e.getValue()[1]));
            loaders.add(loaderName(e.getKey()));
        }
        for (Map.Entry<BasicType, long[]> e : primitiveArrays.entrySet()) {
            rows.add(new ClassHistogram.Row(e.getKey().javaName + "[]", e.getValue()[0], e.getValue()[1]));
            loaders.add(Optional.empty());
        }
        rows = LoaderNames.namingLoadersWhereNamesRepeat(rows, loaders);
        rows.sort(Comparator.comparingLong(ClassHistogram.Row::shallowBytes)
                .reversed()
                .thenComparing(ClassHistogram.Row::className));
        long instances = rows.stream().mapToLong(ClassHistogram.Row::instances).sum();
        long bytes = rows.stream().mapToLong(ClassHistogram.Row::shallowBytes).sum();
        return new ClassHistogram(layout, rows, instances, bytes);
    }

    /** A class's loader by its identifier alone: naming its class would take a map of every object's class. */
    private Optional<String> loaderName(long classId) {
        return Optional.ofNullable(shapes.get(classId)).map(shape -> LoaderNames.loaderName(shape.loaderId(), null));
    }

    /** The bytes of a class's instance fields and all its superclasses' fields; a cycle or a gap ends the walk. */
    private long fieldBytes(long classId) {
        long bytes = 0;
        long id = classId;
        for (int depth = 0; id != 0 && depth < 1000; depth++) {
            Shape shape = shapes.get(id);
            if (shape == null) {
                break;
            }
            bytes += shape.fieldBytes();
            id = shape.superId();
        }
        return bytes;
    }
}
