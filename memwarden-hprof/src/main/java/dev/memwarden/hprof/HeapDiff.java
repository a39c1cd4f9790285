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
            return Json.write(json -> {
                json.writeStartObject();
                json.writeStringField("before", before.toString());
                json.writeStringField("after", after.toString());
                json.writeNumberField("reachableBytesBefore", reachableBefore);
                json.writeNumberField("reachableBytesAfter", reachableAfter);
                json.writeArrayFieldStart("staticFields");
                for (FieldGrowth f : staticFields) {
                    json.writeStartObject();
                    json.writeStringField("field", f.field());
                    json.writeStringField("object", f.objectClass());
                    json.writeNumberField("retainedBytesBefore", f.retainedBefore());
                    json.writeNumberField("retainedBytesAfter", f.retainedAfter());
                    json.writeNumberField("growthBytes", f.growth());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeArrayFieldStart("classes");
                for (ClassGrowth c : classes) {
                    json.writeStartObject();
                    json.writeStringField("class", c.className());
                    json.writeNumberField("instancesBefore", c.instancesBefore());
                    json.writeNumberField("instancesAfter", c.instancesAfter());
                    json.writeNumberField("shallowBytesBefore", c.shallowBefore());
                    json.writeNumberField("shallowBytesAfter", c.shallowAfter());
                    json.writeNumberField("retainedBytesBefore", c.retainedBefore());
                    json.writeNumberField("retainedBytesAfter", c.retainedAfter());
                    json.writeNumberField("growthBytes", c.growth());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }

        private static String signed(long bytes) {
            return (bytes < 0 ? "-" : "+") + ClassHistogram.bytes(Math.abs(bytes));
        }
    }

    /** One of the dumps could not be analyzed: {@code reason} names it and says why. */
    record Failure(Path before, Path after, Duration took, String reason) implements HeapDiff {}
}
