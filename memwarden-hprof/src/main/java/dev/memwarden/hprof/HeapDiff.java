package dev.memwarden.hprof;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What grew between two dumps of one process: the static fields and the classes whose retained bytes rose, largest
 * growth first. A leak is what keeps growing from one dump to the next; one dump alone shows only what is big.
 */
public sealed interface HeapDiff permits HeapDiff.Success, HeapDiff.Failure {
    Path before();

    Path after();

    Duration took();

    /** A static field in both dumps, or in the later one only (its bytes before are then 0). */
    record FieldGrowth(String field, String objectClass, long retainedBefore, long retainedAfter) {
        public long growth() {
            return retainedAfter - retainedBefore;
        }
    }

    /** A class by name, its loaders together. */
    record ClassGrowth(
            String className,
            long instancesBefore,
            long instancesAfter,
            long shallowBefore,
            long shallowAfter,
            long retainedBefore,
            long retainedAfter) {
        public long growth() {
            return retainedAfter - retainedBefore;
        }
    }

    /**
     * Both dumps were analyzed.
     *
     * @param staticFields the static fields whose retained bytes grew, by growth, largest first
     * @param classes the classes whose retained bytes grew, by growth, largest first
     */
    record Success(
            Path before,
            Path after,
            Duration took,
            long reachableBefore,
            long reachableAfter,
            List<FieldGrowth> staticFields,
            List<ClassGrowth> classes)
            implements HeapDiff {

        public Success {
            staticFields = List.copyOf(staticFields);
            classes = List.copyOf(classes);
        }

        public String describe() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    Locale.ROOT,
                    "reachable heap: %s -> %s (%s)%n%nstatic fields that grew:%n",
                    ClassHistogram.bytes(reachableBefore),
                    ClassHistogram.bytes(reachableAfter),
                    signed(reachableAfter - reachableBefore)));
            for (FieldGrowth f : staticFields) {
                out.append(String.format(
                        Locale.ROOT,
                        "%12s  %10s -> %-10s  %s  (%s)%n",
                        signed(f.growth()),
                        ClassHistogram.bytes(f.retainedBefore()),
                        ClassHistogram.bytes(f.retainedAfter()),
                        f.field(),
                        f.objectClass()));
            }
            out.append(String.format(Locale.ROOT, "%nclasses that grew (retained, instances):%n"));
            for (ClassGrowth c : classes) {
                out.append(String.format(
                        Locale.ROOT,
                        "%12s  %+,12d  %s%n",
                        signed(c.growth()),
                        c.instancesAfter() - c.instancesBefore(),
                        c.className()));
            }
            return out.toString();
        }

        public String toJson() {
            StringBuilder out = new StringBuilder()
                    .append("{\"before\":")
                    .append(Json.string(before.toString()))
                    .append(",\"after\":")
                    .append(Json.string(after.toString()))
                    .append(",\"reachableBytesBefore\":")
                    .append(reachableBefore)
                    .append(",\"reachableBytesAfter\":")
                    .append(reachableAfter)
                    .append(",\"staticFields\":[");
            for (int i = 0; i < staticFields.size(); i++) {
                FieldGrowth f = staticFields.get(i);
                out.append(i == 0 ? "" : ",")
                        .append("{\"field\":")
                        .append(Json.string(f.field()))
                        .append(",\"object\":")
                        .append(Json.string(f.objectClass()))
                        .append(",\"retainedBytesBefore\":")
                        .append(f.retainedBefore())
                        .append(",\"retainedBytesAfter\":")
                        .append(f.retainedAfter())
                        .append(",\"growthBytes\":")
                        .append(f.growth())
                        .append('}');
            }
            out.append("],\"classes\":[");
            for (int i = 0; i < classes.size(); i++) {
                ClassGrowth c = classes.get(i);
                out.append(i == 0 ? "" : ",")
                        .append("{\"class\":")
                        .append(Json.string(c.className()))
                        .append(",\"instancesBefore\":")
                        .append(c.instancesBefore())
                        .append(",\"instancesAfter\":")
                        .append(c.instancesAfter())
                        .append(",\"shallowBytesBefore\":")
                        .append(c.shallowBefore())
                        .append(",\"shallowBytesAfter\":")
                        .append(c.shallowAfter())
                        .append(",\"retainedBytesBefore\":")
                        .append(c.retainedBefore())
                        .append(",\"retainedBytesAfter\":")
                        .append(c.retainedAfter())
                        .append(",\"growthBytes\":")
                        .append(c.growth())
                        .append('}');
            }
            return out.append("]}").toString();
        }

        private static String signed(long bytes) {
            return (bytes < 0 ? "-" : "+") + ClassHistogram.bytes(Math.abs(bytes));
        }
    }

    /** One of the dumps could not be analyzed: {@code reason} names it and says why. */
    record Failure(Path before, Path after, Duration took, String reason) implements HeapDiff {}
}
