package dev.memwarden.hprof;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a GC root keeps an object alive: the root, then each object on the shortest chain of strong references down to
 * the object itself.
 *
 * @param rootKind the HPROF root kind of the first step, such as {@code JAVA_FRAME} or {@code STICKY_CLASS}
 * @param frame for a root in a thread's stack (a local variable, a JNI local reference), its thread and frame, where
 *     the dump's stack traces say; null for other roots
 */
public record GcRootPath(String rootKind, String rootDescription, @Nullable RootFrame frame, List<Step> steps) {
    /**
     * One object on the path.
     *
     * @param via how the step before references this one: {@code .field}, {@code [index]}, {@code static FIELD}, or
     *     {@code <class loader>}, {@code <superclass>} and the like for what a class object holds; null on the root
     * @param object its class, or for a class object {@code class com.acme.Registry}
     */
    public record Step(@Nullable String via, long objectId, String object) {}

    public GcRootPath {
        steps = List.copyOf(steps);
    }

    /** One line per step, indented under the root. */
    public String describe(String indent) {
        StringBuilder out = new StringBuilder();
        out.append(indent)
                .append("GC root: ")
                .append(rootDescription)
                .append(" (")
                .append(rootKind)
                .append(')');
        if (frame != null) {
            out.append(" in ").append(frame.describe());
        }
        out.append(System.lineSeparator());
        for (Step step : steps) {
            out.append(indent)
                    .append("  ")
                    .append(step.via() == null ? "" : step.via() + "  ")
                    .append(step.object())
                    .append(String.format(Locale.ROOT, " 0x%x", step.objectId()))
                    .append(System.lineSeparator());
        }
        return out.toString();
    }

    public String toJson() {
        return Json.write(this::writeTo);
    }

    void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("rootKind", rootKind);
        RootFrame where = frame;
        Json.valueOrNull(json, "rootFrame", where == null ? null : where::writeTo);
        json.writeArrayFieldStart("steps");
        for (Step step : steps) {
            json.writeStartObject();
            Json.stringOrNull(json, "via", step.via());
            Json.objectId(json, "objectId", step.objectId());
            json.writeStringField("object", step.object());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
