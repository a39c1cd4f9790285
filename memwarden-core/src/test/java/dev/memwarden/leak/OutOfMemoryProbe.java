package dev.memwarden.leak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A child JVM for {@link HeapDumpsIT}: arms the dump on OutOfMemoryError, then runs out of memory. */
public final class OutOfMemoryProbe {
    private OutOfMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        HeapDumps.builder(Path.of(args[0])).build().armOnOutOfMemoryError();
        System.out.println("armed");
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[64 * 1024]);
        }
    }
}
