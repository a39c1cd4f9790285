package dev.memwarden.hprof;

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
        StringBuilder out = new StringBuilder()
                .append("{\"rootKind\":")
                .append(Json.string(rootKind))
                .append(",\"rootFrame\":")
                .append(frame == null ? "null" : frame.toJson())
                .append(",\"steps\":[");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String via = step.via();
            out.append(i == 0 ? "" : ",")
                    .append("{\"via\":")
                    .append(via == null ? "null" : Json.string(via))
                    .append(",\"objectId\":")
                    .append(Json.objectId(step.objectId()))
                    .append(",\"object\":")
                    .append(Json.string(step.object()))
                    .append('}');
        }
        return out.append("]}").toString();
    }
}
