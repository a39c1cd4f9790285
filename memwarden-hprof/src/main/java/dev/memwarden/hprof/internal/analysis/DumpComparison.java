package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.ClassHistogram;
import dev.memwarden.hprof.HeapAnalysis;
import dev.memwarden.hprof.HeapDiff;
import dev.memwarden.hprof.Retention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Matches two analyses by name and ranks what grew: memory per class and per static field, never per object. */
public final class DumpComparison {
    private DumpComparison() {}

    public static HeapDiff.Success compare(
            HeapAnalysis.Success before, HeapAnalysis.Success after, int top, Duration took) {
        Retention retainedBefore = Objects.requireNonNull(before.retention());
        Retention retainedAfter = Objects.requireNonNull(after.retention());
        Map<String, Retention.StaticField> fieldsBefore = byField(retainedBefore);
        List<HeapDiff.FieldGrowth> fields = new ArrayList<>();
        for (Retention.StaticField f : byField(retainedAfter).values()) {
            Retention.StaticField was = fieldsBefore.get(f.field());
            HeapDiff.FieldGrowth growth = new HeapDiff.FieldGrowth(
                    f.field(), f.objectClass(), was == null ? 0 : was.retainedBytes(), f.retainedBytes());
            if (growth.growth() > 0) {
                fields.add(growth);
            }
        }
        fields.sort(Comparator.comparingLong(HeapDiff.FieldGrowth::growth).reversed());

        Map<String, long[]> classesBefore = byName(before.histogram());
        List<HeapDiff.ClassGrowth> classes = new ArrayList<>();
        for (Map.Entry<String, long[]> c : byName(after.histogram()).entrySet()) {
            long[] b = classesBefore.getOrDefault(c.getKey(), new long[3]);
            long[] a = c.getValue();
            HeapDiff.ClassGrowth growth = new HeapDiff.ClassGrowth(c.getKey(), b[0], a[0], b[1], a[1], b[2], a[2]);
            if (growth.growth() > 0) {
                classes.add(growth);
            }
        }
        classes.sort(Comparator.comparingLong(HeapDiff.ClassGrowth::growth)
                .reversed()
                .thenComparing(HeapDiff.ClassGrowth::className));
        return new HeapDiff.Success(
                before.dump(),
                after.dump(),
                took,
                retainedBefore.reachableBytes(),
                retainedAfter.reachableBytes(),
                fields.subList(0, Math.min(top, fields.size())),
                classes.subList(0, Math.min(top, classes.size())));
    }

    /** The static fields by name, those of a class loaded twice added up as its histogram rows are. */
    private static Map<String, Retention.StaticField> byField(Retention retention) {
        Map<String, Retention.StaticField> fields = new HashMap<>();
        for (Retention.StaticField f : retention.topStaticFields()) {
            fields.merge(
                    f.field(),
                    f,
                    (a, b) -> new Retention.StaticField(
                            a.field(), a.objectId(), a.objectClass(), a.retainedBytes() + b.retainedBytes()));
        }
        return fields;
    }

    /** Instances, shallow and retained bytes by class name, the rows of classes loaded twice added up. */
    private static Map<String, long[]> byName(ClassHistogram histogram) {
        Map<String, long[]> rows = new HashMap<>();
        for (ClassHistogram.Row row : histogram.classes()) {
            long[] sums = rows.computeIfAbsent(row.className(), k -> new long[3]);
            sums[0] += row.instances();
            sums[1] += row.shallowBytes();
            sums[2] += row.retainedBytes().orElse(0);
        }
        return rows;
    }
}
