package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.internal.format.BasicType;
import dev.memwarden.hprof.internal.format.ClassDump;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofReader;
import dev.memwarden.hprof.internal.format.HprofVisitor;
import dev.memwarden.hprof.internal.format.Names;
import dev.memwarden.hprof.internal.graph.HeapGraph.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one object references another, read back from the dump for the few references a report shows: the field's
 * name, the array index, the static field of a class. The graph keeps only where references lead, not what holds them,
 * so this costs one more pass over the file and memory per reference asked for, never per object.
 */
final class ReferenceLabels implements HprofVisitor {
    private final DumpFile dump;
    private final int idSize;
    private final Types types;
    private final Names names;
    private final Map<Long, List<Long>> wanted = new HashMap<>();
    private final Map<Reference, String> labels = new HashMap<>();

    private ReferenceLabels(DumpFile dump, int idSize, Types types, Names names) {
        this.dump = dump;
        this.idSize = idSize;
        this.types = types;
        this.names = names;
    }

    /** Labels each reference: {@code .field}, {@code [index]}, {@code static FIELD}, {@code <class loader>}. */
    static Map<Reference, String> read(
            DumpFile dump, int idSize, Types types, Names names, List<Reference> references, Progress progress)
            throws CorruptDumpException {
        ReferenceLabels labels = new ReferenceLabels(dump, idSize, types, names);
        for (Reference r : references) {
            labels.wanted.computeIfAbsent(r.from(), k -> new ArrayList<>()).add(r.to());
        }
        HprofReader.read(dump, labels, progress, "naming references");
        return labels.labels;
    }

    @Override
    public void classDump(ClassDump c) {
        List<Long> targets = wanted.get(c.classId());
        if (targets == null) {
            return;
        }
        for (long to : targets) {
            for (ClassDump.Field f : c.statics()) {
                if (f.type() == BasicType.OBJECT && f.value() == to) {
                    label(c.classId(), to, "static " + fieldName(f.nameId()));
                }
            }
            if (to == c.superId()) {
                label(c.classId(), to, "<superclass>");
            } else if (to == c.loaderId()) {
                label(c.classId(), to, "<class loader>");
            } else if (to == c.signersId()) {
                label(c.classId(), to, "<signers>");
            } else if (to == c.protectionDomainId()) {
                label(c.classId(), to, "<protection domain>");
            }
        }
    }

    @Override
    public void instance(long id, long classId, long dataOffset, long length) {
        List<Long> targets = wanted.get(id);
        if (targets == null) {
            return;
        }
        int type = types.ofClass(classId);
        int[] offsets = types.referenceOffsets(type);
        long[] nameIds = types.referenceNameIds(type);
        for (long to : targets) {
            for (int i = 0; i < offsets.length; i++) {
                if (dump.id(dataOffset + offsets[i], idSize) == to) {
                    label(id, to, "." + fieldName(nameIds[i]));
                }
            }
            if (to == classId) {
                label(id, to, "<class>");
            }
        }
    }

    @Override
    public void objectArray(long id, long arrayClassId, long length, long elementsOffset) {
        List<Long> targets = wanted.get(id);
        if (targets == null) {
            return;
        }
        for (long i = 0; i < length; i++) {
            long element = dump.id(elementsOffset + i * idSize, idSize);
            if (targets.contains(element)) {
                label(id, element, "[" + i + "]");
            }
        }
        if (targets.contains(arrayClassId)) {
            label(id, arrayClassId, "<class>");
        }
    }

    /** The first way found is kept: the lowest field or index. */
    private void label(long from, long to, String label) {
        labels.putIfAbsent(new Reference(from, to), label);
    }

    private String fieldName(long nameId) {
        String name = names.string(nameId);
        return name != null ? name : String.format(Locale.ROOT, "<field 0x%x>", nameId);
    }
}
