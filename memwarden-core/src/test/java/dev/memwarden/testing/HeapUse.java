package dev.memwarden.testing;

import java.lang.management.ManagementFactory;

/** Heap measurements for tests that prove a bound on what something retains. */
public final class HeapUse {
    private HeapUse() {}

    /**
     * The heap in use after a full collection, as the least of several: a single reading also counts whatever
     * other threads (the test runner, the JIT's lambda forms) allocated after that GC, and only ever too much.
     */
    public static long afterFullGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            least = Math.min(
                    least,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
