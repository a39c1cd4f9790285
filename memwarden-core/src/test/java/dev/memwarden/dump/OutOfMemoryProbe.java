package dev.memwarden.dump;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import java.util.ArrayList;
import java.util.List;

/** A child JVM for {@link HeapDumpsIT}: asks memwarden for the dump on OutOfMemoryError, then runs out of memory. */
public final class OutOfMemoryProbe {
    /*
     * Static, as a real leak is held: the first OutOfMemoryError may strike one of memwarden's own threads, and the JVM
     * writes the dump a moment later, by which time the main thread may have died of its own error. A hoard local to
     * main would be garbage by then, and the dump would hold only a few megabytes.
     */
    private static final List<long[]> HOARD = new ArrayList<>();

    private OutOfMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        // As a service would: through the facade's configuration, which arms it at start.
        MemwardenConfig config = MemwardenConfig.builder()
                .set("memwarden.heapdump.oom", "on")
                .set("memwarden.evidence.dir", args[0])
                .build();
        try (Memwarden memwarden = Memwarden.builder().config(config).start()) {
            System.out.println("armed, sampling: " + memwarden.snapshot().takenAt());
            while (true) {
                HOARD.add(new long[64 * 1024]);
            }
        }
    }
}
