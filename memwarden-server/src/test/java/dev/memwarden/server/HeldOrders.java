package dev.memwarden.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/** A child JVM for {@link HprofDumpAnalyzerIT}: a static map of orders that nobody clears, dumped to the given file. */
public final class HeldOrders {
    static final Map<Long, byte[]> ORDERS = new HashMap<>();

    private HeldOrders() {}

    public static void main(String[] args) throws IOException {
        for (long id = 0; id < 20_000; id++) {
            ORDERS.put(id, new byte[1024]);
        }
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
    }
}
