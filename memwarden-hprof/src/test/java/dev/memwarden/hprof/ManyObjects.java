package dev.memwarden.hprof;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** A child JVM that holds many small objects and dumps itself: an index too large for a small heap to analyze it in. */
public final class ManyObjects {
    static final int COUNT = 400_000;
    static final Object[] HELD = new Object[COUNT];

    private ManyObjects() {}

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < COUNT; i++) {
            HELD[i] = new Object();
        }
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
    }
}
