package dev.memwarden.hprof;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM in which two class loaders each load {@link Payload} from this class's own code source (a redeployed
 * application's classes, twice), holds {@link #FIRST_COUNT} instances of the first and {@link #SECOND_COUNT} of the
 * second, and dumps itself.
 */
public final class TwoLoaders {
    static final int FIRST_COUNT = 3;
    static final int SECOND_COUNT = 5;
    static final List<Object> HELD = new ArrayList<>();

    private TwoLoaders() {}

    /** Loaded by each loader on its own, as neither delegates to the loader that loaded this class. */
    public static final class Payload {
        final long value = 42;
    }

    public static void main(String[] args) throws Exception {
        URL codeSource = TwoLoaders.class.getProtectionDomain().getCodeSource().getLocation();
        for (int count : new int[] {FIRST_COUNT, SECOND_COUNT}) {
            URLClassLoader loader = new URLClassLoader(new URL[] {codeSource}, null);
            Class<?> payload = loader.loadClass(Payload.class.getName());
            for (int i = 0; i < count; i++) {
                HELD.add(payload.getDeclaredConstructor().newInstance());
            }
        }
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
    }
}
