package dev.memwarden.hprof;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * What the GC roots keep alive, from the dominator tree: the reachable objects, the garbage the dump still held (a
 * dump taken without a full GC, such as the JVM's own on OutOfMemoryError, has some), and the objects that retain the
 * most on their own.
 *
 * @param topDominators the objects no other object dominates, by retained bytes, largest first
 * @param topStaticFields the static fields retaining most, largest first: a class's statics each on its own
 */
public record Retention(
        long reachableObjects,
        long reachableBytes,
        long unreachableObjects,
        long unreachableBytes,
        List<Dominator> topDominators,
        List<StaticField> topStaticFields) {

    /**
     * A static field and what it retains: the object it holds, where its class dominates that object through it.
     *
     * @param field {@code com.acme.Registry.LISTENERS}
     * @param objectClass the class of the object it holds
     */
    public record StaticField(String field, long objectId, String objectClass, long retainedBytes) {}

    /**
     * An object and what it retains.
     *
     * @param description its class, or for a class object {@code class com.acme.Registry}
     */
    public record Dominator(long objectId, String description, long shallowBytes, long retainedBytes) {}

    public Retention {
        topDominators = List.copyOf(topDominators);
        topStaticFields = List.copyOf(topStaticFields);
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%,d objects reachable from GC roots, %s; %,d garbage or held only by weak references, %s%n",
                reachableObjects,
                ClassHistogram.bytes(reachableBytes),
                unreachableObjects,
                ClassHistogram.bytes(unreachableBytes)));
        out.append(String.format(Locale.ROOT, "%12s %6s  %-18s  %s%n", "retained", "share", "object", "what"));
        for (Dominator d : topDominators) {
            out.append(String.format(
                    Locale.ROOT,
                    "%12s %5.1f%%  %-18s  %s%n",
                    ClassHistogram.bytes(d.retainedBytes()),
                    reachableBytes == 0 ? 0.0 : 100.0 * d.retainedBytes() / reachableBytes,
                    String.format(Locale.ROOT, "0x%x", d.objectId()),
                    d.description()));
        }
        out.append(System.lineSeparator())
                .append(String.format(Locale.ROOT, "%12s %6s  %s%n", "retained", "share", "static field"));
        for (StaticField f : topStaticFields) {
            out.append(String.format(
                    Locale.ROOT,
                    "%12s %5.1f%%  %s  (%s 0x%x)%n",
                    ClassHistogram.bytes(f.retainedBytes()),
                    reachableBytes == 0 ? 0.0 : 100.0 * f.retainedBytes() / reachableBytes,
                    f.field(),
                    f.objectClass(),
                    f.objectId()));
        }
        return out.toString();
    }

    public String toJson() {
        return Json.write(this::writeTo);
    }

    void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("reachableObjects", reachableObjects);
        json.writeNumberField("reachableBytes", reachableBytes);
        json.writeNumberField("unreachableObjects", unreachableObjects);
        json.writeNumberField("unreachableBytes", unreachableBytes);
        json.writeArrayFieldStart("topDominators");
        for (Dominator d : topDominators) {
            writeDominator(json, d);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("topStaticFields");
        for (StaticField f : topStaticFields) {
            json.writeStartObject();
            json.writeStringField("field", f.field());
            Json.objectId(json, "objectId", f.objectId());
            json.writeStringField("object", f.objectClass());
            json.writeNumberField("retainedBytes", f.retainedBytes());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void writeDominator(JsonGenerator json, Dominator d) throws IOException {
        json.writeStartObject();
        Json.objectId(json, "objectId", d.objectId());
        json.writeStringField("object", d.description());
        json.writeNumberField("shallowBytes", d.shallowBytes());
        json.writeNumberField("retainedBytes", d.retainedBytes());
        json.writeEndObject();
    }
}
