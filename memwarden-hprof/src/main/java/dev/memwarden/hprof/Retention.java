package dev.memwarden.hprof;

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
        StringBuilder out = new StringBuilder()
                .append("{\"reachableObjects\":")
                .append(reachableObjects)
                .append(",\"reachableBytes\":")
                .append(reachableBytes)
                .append(",\"unreachableObjects\":")
                .append(unreachableObjects)
                .append(",\"unreachableBytes\":")
                .append(unreachableBytes)
                .append(",\"topDominators\":[");
        for (int i = 0; i < topDominators.size(); i++) {
            out.append(i == 0 ? "" : ",").append(dominatorJson(topDominators.get(i)));
        }
        out.append("],\"topStaticFields\":[");
        for (int i = 0; i < topStaticFields.size(); i++) {
            StaticField f = topStaticFields.get(i);
            out.append(i == 0 ? "" : ",")
                    .append("{\"field\":")
                    .append(Json.string(f.field()))
                    .append(",\"objectId\":")
                    .append(Json.objectId(f.objectId()))
                    .append(",\"object\":")
                    .append(Json.string(f.objectClass()))
                    .append(",\"retainedBytes\":")
                    .append(f.retainedBytes())
                    .append('}');
        }
        return out.append("]}").toString();
    }

    static String dominatorJson(Dominator d) {
        return "{\"objectId\":" + Json.objectId(d.objectId()) + ",\"object\":"
                + Json.string(d.description()) + ",\"shallowBytes\":" + d.shallowBytes() + ",\"retainedBytes\":"
                + d.retainedBytes() + "}";
    }
}
