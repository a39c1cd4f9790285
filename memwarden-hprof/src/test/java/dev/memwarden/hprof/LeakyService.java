package dev.memwarden.hprof;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by the suspects test: a heap with two leaks of known size, dumped to the file its argument
 * names. A registry of listeners that only grows, held by one static field; and sessions held by two static arrays
 * at once, so that no one object holds them and they leak as a class.
 */
final class LeakyService {
    static final int LISTENERS = 20_000;
    static final int SESSIONS = 6_000;

    /** 16 bytes with compressed oops, and its buffer 1,016. */
    static final class Listener {
        @SuppressWarnings("unused") // read by the heap dump
        final byte[] buffer = new byte[1000];
    }

    /** 16 bytes with compressed oops, and its state 2,016. */
    static final class Session {
        @SuppressWarnings("unused") // read by the heap dump
        final byte[] state = new byte[2000];
    }

    static final List<Listener> REGISTRY = new ArrayList<>(LISTENERS);
    static final Object[] SESSIONS_BY_ID = new Object[SESSIONS];
    static final Object[] SESSIONS_BY_AGE = new Object[SESSIONS];

    /** The registry's retained bytes: the list, its array of exactly LISTENERS slots, each listener and its buffer. */
    static final long REGISTRY_BYTES = 24 + (16 + 4L * LISTENERS) + LISTENERS * (16L + 1016);

    static final long SESSION_BYTES = SESSIONS * (16L + 2016);

    private LeakyService() {}

    /** Dumps to {@code args[0]}; given a second file, first dumps to it with half the listeners registered. */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < SESSIONS; i++) {
            Session s = new Session();
            SESSIONS_BY_ID[i] = s;
            SESSIONS_BY_AGE[SESSIONS - 1 - i] = s;
        }
        for (int i = 0; i < LISTENERS; i++) {
            if (i == LISTENERS / 2 && args.length > 1) {
                dump(args[1]);
            }
            REGISTRY.add(new Listener());
        }
        // A shorter way to the registry than its static field, but a weak one: no path may take it.
        WeakReference<List<Listener>> weak = new WeakReference<>(REGISTRY);
        dump(args[0]);
        System.out.println("dumped; registry still there: " + (weak.get() != null));
    }

    private static void dump(String file) throws Exception {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
    }
}
