package dev.memwarden.leak;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import java.util.ArrayList;
import java.util.List;

/** A child JVM for {@link HeapDumpsIT}: asks memwarden for the dump on OutOfMemoryError, then runs out of memory. */
public final class OutOfMemoryProbe {
    private OutOfMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        // As a service would: through the facade's configuration, which arms it at start.
        MemwardenConfig config = MemwardenConfig.builder()
                .set("memwarden.heapdump.oom", "on")
                .set("memwarden.evidence.dir", args[0])
                .build();
        try (Memwarden memwarden = Memwarden.builder().config(config).start()) {
            System.out.println("armed, sampling: " + memwarden.snapshot().takenAt());
            List<long[]> hoard = new ArrayList<>();
            while (true) {
                hoard.add(new long[64 * 1024]);
            }
        }
    }
}
