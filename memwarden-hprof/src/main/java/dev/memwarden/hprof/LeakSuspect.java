package dev.memwarden.hprof;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One object, or one class's instances together, retaining a large share of the heap: what a leak looks like in a
 * single dump.
 *
 * @param holder what keeps it: {@code static com.acme.Registry.LISTENERS}, the object that dominates it and the field,
 *     or the GC root; for a group, {@code 12,345 instances of com.acme.Session}
 * @param objectClass the suspect's class, or the group's
 * @param instances 1, or the instances in the group
 * @param share of the bytes reachable from GC roots, 0 to 1
 * @param accumulationPoint where the growth sits inside the suspect; null for a group
 * @param biggest the largest objects the accumulation point dominates, or a group's largest instances
 * @param pathFromGcRoot how a root keeps the suspect (a group's largest instance) alive; null if there is none through
 *     strong references
 */
public record LeakSuspect(
        String holder,
        String objectClass,
        long objectId,
        long instances,
        long retainedBytes,
        double share,
        @Nullable AccumulationPoint accumulationPoint,
        List<Retention.Dominator> biggest,
        @Nullable GcRootPath pathFromGcRoot) {

    /**
     * The object inside a suspect that actually holds the growth: down from the suspect, the largest object it
     * dominates as long as that keeps most of what its parent retains (an {@code ArrayList}'s {@code Object[]}, a
     * {@code HashMap}'s table).
     *
     * @param elementClass the class whose instances it holds retain most; null if it holds nothing
     * @param elements how many objects of that class it retains, directly or deeper (down a chain, in a map's
     *     collision lists)
     * @param heldClass where the elements are map entries or list nodes, the class retaining most among what they
     *     hold (a map's values, say); else null
     */
    public record AccumulationPoint(
            long objectId,
            String objectClass,
            long retainedBytes,
            @Nullable String elementClass,
            long elements,
            @Nullable String heldClass) {

        void writeTo(JsonGenerator json) throws IOException {
            json.writeStartObject();
            Json.objectId(json, "objectId", objectId);
            json.writeStringField("class", objectClass);
            json.writeNumberField("retainedBytes", retainedBytes);
            Json.stringOrNull(json, "elementClass", elementClass);
            json.writeNumberField("elements", elements);
            Json.stringOrNull(json, "heldClass", heldClass);
            json.writeEndObject();
        }
    }

    public LeakSuspect {
        biggest = List.copyOf(biggest);
    }

    /** One line: who holds what, how much, and where it accumulates. */
    public String summary() {
        AccumulationPoint point = accumulationPoint;
        if (point == null) {
            return String.format(
                    Locale.ROOT,
                    "%s retain %s (%.1f %% of the heap)",
                    holder,
                    ClassHistogram.bytes(retainedBytes),
                    100 * share);
        }
        String what = point.elementClass() == null
                ? "a " + objectClass
                : String.format(Locale.ROOT, "a %s of %,d %s", objectClass, point.elements(), point.elementClass())
                        + (point.heldClass() == null ? "" : " holding " + point.heldClass());
        return String.format(
                Locale.ROOT,
                "%s: %s, retains %s (%.1f %% of the heap), accumulated in %s 0x%x",
                holder,
                what,
                ClassHistogram.bytes(retainedBytes),
                100 * share,
                point.objectClass(),
                point.objectId());
    }

    public String describe() {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(summary()).append(nl);
        if (!biggest.isEmpty()) {
            out.append(accumulationPoint == null ? "  largest instances:" : "  largest parts:")
                    .append(nl);
            for (Retention.Dominator d : biggest) {
                out.append(String.format(
                        Locale.ROOT,
                        "    %12s  %s 0x%x%n",
                        ClassHistogram.bytes(d.retainedBytes()),
                        d.description(),
                        d.objectId()));
            }
        }
        GcRootPath path = pathFromGcRoot;
        if (path != null) {
            out.append("  path from its GC root:").append(nl).append(path.describe("    "));
        }
        return out.toString();
    }

    public String toJson() {
        return Json.write(this::writeTo);
    }

    void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("holder", holder);
        json.writeStringField("summary", summary());
        json.writeStringField("class", objectClass);
        Json.objectId(json, "objectId", objectId);
        json.writeNumberField("instances", instances);
        json.writeNumberField("retainedBytes", retainedBytes);
        json.writeFieldName("share");
        json.writeNumber(String.format(Locale.ROOT, "%.4f", share));
        AccumulationPoint point = accumulationPoint;
        Json.valueOrNull(json, "accumulationPoint", point == null ? null : point::writeTo);
        json.writeArrayFieldStart("biggest");
        for (Retention.Dominator d : biggest) {
            Retention.writeDominator(json, d);
        }
        json.writeEndArray();
        GcRootPath path = pathFromGcRoot;
        Json.valueOrNull(json, "pathFromGcRoot", path == null ? null : path::writeTo);
        json.writeEndObject();
    }
}
