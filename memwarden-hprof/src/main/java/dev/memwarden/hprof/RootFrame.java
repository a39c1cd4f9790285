package dev.memwarden.hprof;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where a root held in a thread's stack (a local variable, a JNI local reference) is held: the thread and the frame,
 * from the dump's stack traces.
 *
 * @param threadObjectId the identifier of the thread's {@code java.lang.Thread}
 * @param depth the frame's depth in the thread's stack, 0 for the innermost
 * @param method the frame's class and method ({@code com.acme.Orders.load}), or null where the dump does not say
 * @param sourceFile the frame's source file, or null where the dump does not say
 * @param line the frame's line number; 0 or below where there is none
 */
public record RootFrame(
        long threadObjectId, int depth, @Nullable String method, @Nullable String sourceFile, int line) {

    /** As a stack trace prints a frame: {@code thread 0x7a3e0, frame 2: com.acme.Orders.load(Orders.java:42)}. */
    public String describe() {
        String where = String.format(Locale.ROOT, "thread 0x%x, frame %d", threadObjectId, depth);
        if (method == null) {
            return where;
        }
        String location = sourceFile == null ? "Unknown Source" : sourceFile;
        if (line > 0) {
            location += ":" + line;
        } else if (line == -2) {
            location = "compiled";
        } else if (line == -3) {
            location = "Native Method";
        }
        return where + ": " + method + "(" + location + ")";
    }

    public String toJson() {
        return Json.write(this::writeTo);
    }

    void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        Json.objectId(json, "thread", threadObjectId);
        json.writeNumberField("depth", depth);
        Json.stringOrNull(json, "method", method);
        Json.stringOrNull(json, "sourceFile", sourceFile);
        if (line > 0) {
            json.writeNumberField("line", line);
        } else {
            json.writeNullField("line");
        }
        json.writeEndObject();
    }
}
