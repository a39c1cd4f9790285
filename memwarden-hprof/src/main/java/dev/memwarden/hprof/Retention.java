package dev.memwarden.hprof;

import java.util.List;
import java.util.Locale;

/**
 * What the GC roots keep alive, from the dominator tree: the reachable objects, the garbage the dump still held (a
 * dump taken without a full GC, such as the JVM's own on OutOfMemoryError, has some), and the objects that retain the
 * most on their own.
 *
 * @param topDominators the objects no other object dominates, by retained bytes, largest first
 */
public record Retention(
        long reachableObjects,
        long reachableBytes,
        long unreachableObjects,
        long unreachableBytes,
        List<Dominator> topDominators) {

    /**
     * An object and what it retains.
     *
     * @param description its class, or for a class object {@code class com.acme.Registry}
     */
    public record Dominator(long objectId, String description, long shallowBytes, long retainedBytes) {}

    public Retention {
        topDominators = List.copyOf(topDominators);
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
        return out.append("]}").toString();
    }

    static String dominatorJson(Dominator d) {
        return "{\"objectId\":" + Json.string(String.format(Locale.ROOT, "0x%x", d.objectId())) + ",\"object\":"
                + Json.string(d.description()) + ",\"shallowBytes\":" + d.shallowBytes() + ",\"retainedBytes\":"
                + d.retainedBytes() + "}";
    }
}
