package dev.memwarden.hprof;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The outcome of looking for the paths from GC roots to chosen objects of a dump. */
public sealed interface RootPathSearch permits RootPathSearch.Success, RootPathSearch.Failure {
    Path dump();

    Duration took();

    /**
     * One object asked for.
     *
     * @param path the shortest chain of strong references from a GC root; null where none reaches the object, which
     *     the next collection would free
     */
    record ObjectPath(long objectId, String object, @Nullable GcRootPath path) {}

    record Success(Path dump, Duration took, List<ObjectPath> paths) implements RootPathSearch {
        public Success {
            paths = List.copyOf(paths);
        }

        public String describe() {
            StringBuilder out = new StringBuilder();
            for (ObjectPath p : paths) {
                out.append(String.format(Locale.ROOT, "%s 0x%x%n", p.object(), p.objectId()));
                GcRootPath path = p.path();
                out.append(
                        path == null
                                ? "  no strong reference from a GC root: garbage, or held only by weak references"
                                        + System.lineSeparator()
                                : path.describe("  "));
            }
            return out.toString();
        }

        public String toJson() {
            return Json.write(json -> {
                json.writeStartObject();
                json.writeArrayFieldStart("paths");
                for (ObjectPath p : paths) {
                    json.writeStartObject();
                    Json.objectId(json, "objectId", p.objectId());
                    json.writeStringField("object", p.object());
                    GcRootPath path = p.path();
                    Json.valueOrNull(json, "pathFromGcRoot", path == null ? null : path::writeTo);
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }
    }

    /** The dump could not be read, or it holds no object of an identifier asked for: {@code reason} says which. */
    record Failure(Path dump, Duration took, String reason) implements RootPathSearch {}
}
