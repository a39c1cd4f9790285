package dev.memwarden.internal.lifecycle;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for {@link GcSpiralIT}: memwarden with the guard on, then a live set that fills the heap while the
 * program keeps allocating, so that nearly all time goes to GC and no OutOfMemoryError ends it.
 */
public final class GcSpiralProbe {
    private GcSpiralProbe() {}

    public static void main(String[] args) throws Exception {
        MemwardenConfig config = MemwardenConfig.builder()
                .set("memwarden.gc.spiral.limit", "3s")
                .set("memwarden.evidence.dir", args[0])
                .set("memwarden.sample.interval", "200ms")
                .build();
        Memwarden memwarden = Memwarden.builder().config(config).start();
        System.out.println("guarded " + memwarden.config().gcSpiralLimit());
        List<Object> live = new ArrayList<>();
        long maxHeap = Runtime.getRuntime().maxMemory();
        // Fill most of the heap with live objects, then churn objects that live just long enough to be promoted:
        // the old generation fills with them and each full collection frees little, over and over.
        while (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory() < maxHeap * 0.80) {
            live.add(new long[128]);
        }
        Object[] ring = new Object[8_000];
        for (long i = 0; ; i++) {
            ring[(int) (i % ring.length)] = new long[64];
            if (i % 50_000_000 == 0) {
                System.out.println("still running " + i + " " + live.size());
            }
        }
    }
}
