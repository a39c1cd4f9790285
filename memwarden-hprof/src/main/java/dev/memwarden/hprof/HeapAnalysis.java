package dev.memwarden.hprof;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The outcome of analyzing one heap dump: what was found, or why nothing could be. */
public sealed interface HeapAnalysis permits HeapAnalysis.Success, HeapAnalysis.Failure {
    Path dump();

    Duration took();

    /**
     * The dump was read to its end.
     *
     * @param retention what the GC roots keep alive; null where only the histogram was asked for
     * @param suspects the leak suspects, largest first; empty where only the histogram was asked for
     */
    record Success(
            Path dump,
            Duration took,
            ClassHistogram histogram,
            @Nullable Retention retention,
            List<LeakSuspect> suspects)
            implements HeapAnalysis {

        public Success {
            suspects = List.copyOf(suspects);
        }

        /** The top classes and, where computed, the top dominators and the leak suspects, as a person reads them. */
        public String describe(int top) {
            String nl = System.lineSeparator();
            StringBuilder out = new StringBuilder(histogram.describe(top));
            Retention r = retention;
            if (r != null) {
                out.append(nl).append(r.describe()).append(nl);
                if (suspects.isEmpty()) {
                    out.append("No leak suspects: nothing retains 10 % of the heap on its own.")
                            .append(nl);
                }
                for (int i = 0; i < suspects.size(); i++) {
                    out.append("Suspect ")
                            .append(i + 1)
                            .append(": ")
                            .append(suspects.get(i).describe());
                }
            }
            return out.toString();
        }

        /** The same as JSON: {@code {"histogram": {...}, "retention": {...} | null, "suspects": [...]}}. */
        public String toJson(int top) {
            return Json.write(json -> {
                json.writeStartObject();
                json.writeFieldName("histogram");
                histogram.writeTo(json, top);
                Retention r = retention;
                Json.valueOrNull(json, "retention", r == null ? null : r::writeTo);
                json.writeArrayFieldStart("suspects");
                for (LeakSuspect suspect : suspects) {
                    suspect.writeTo(json);
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }
    }

    /**
     * The dump could not be read: {@code reason} says why, naming the offset and the record where the file is corrupt
     * or truncated.
     */
    record Failure(Path dump, Duration took, String reason) implements HeapAnalysis {}
}
