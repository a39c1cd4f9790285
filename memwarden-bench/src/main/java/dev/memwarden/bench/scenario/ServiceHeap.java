package dev.memwarden.bench.scenario;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * A child JVM that fills its heap the way a service does and dumps it, for the analyzer benchmarks: sessions in a map,
 * each with an identifier, a payload and a few events; an audit trail in a {@link LinkedList} (one long chain, a node
 * per 100 objects); and the planted leak, a static listener registry holding about 15 % of the heap. Deterministic
 * for a given size.
 *
 * <pre>
 * java -Xmx3g -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.ServiceHeap MEGABYTES DUMP [BEFORE]
 * </pre>
 *
 * <p>Given a second file, it first dumps there with half the listeners registered: two dumps of one process, before
 * and after the leak grew.
 */
public final class ServiceHeap {
    /** A listener registered and never removed: the planted leak. */
    static final class Listener {
        final String name;
        final byte[] buffer;
        final long registeredAt;

        Listener(int n) {
            this.name = "listener-" + n;
            this.buffer = new byte[1024];
            this.registeredAt = n;
        }
    }

    static final class Event {
        final long at;
        final int kind;
        final String detail;

        Event(long at, int kind) {
            this.at = at;
            this.kind = kind;
            this.detail = "event " + kind + " at " + at;
        }
    }

    static final class Session {
        final String id;
        final byte[] payload;
        final List<Event> events = new ArrayList<>(4);

        Session(int n) {
            this.id = "session-" + n;
            this.payload = new byte[400 + n % 400];
            for (int i = 0; i < 4; i++) {
                events.add(new Event(n * 10L + i, i));
            }
        }
    }

    static final List<Listener> LISTENERS = new ArrayList<>();
    static final Map<String, Session> SESSIONS = new HashMap<>();

    @SuppressWarnings("JdkObsolete") // the long chain of nodes is the point: the shape that makes analyzers quadratic
    static final LinkedList<Event> AUDIT = new LinkedList<>();

    /** About what one session takes with compressed oops, its map entry included; and one listener. */
    static final long SESSION_BYTES = 1_250;

    static final long LISTENER_BYTES = 1_120;

    private ServiceHeap() {}

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]) << 20;
        Path dump = Path.of(args[1]);
        int listeners = (int) (bytes * 0.15 / LISTENER_BYTES);
        int sessions = (int) (bytes * 0.80 / SESSION_BYTES);
        for (int i = 0; i < sessions; i++) {
            Session s = new Session(i);
            SESSIONS.put(s.id, s);
            if (i % 6 == 0) {
                AUDIT.add(new Event(i, 9));
            }
        }
        for (int i = 0; i < listeners; i++) {
            if (i == listeners / 2 && args.length > 2) {
                dump(Path.of(args[2]));
            }
            LISTENERS.add(new Listener(i));
        }
        dump(dump);
        System.out.printf(
                "dumped %d sessions, %d listeners, %d audit events: %d bytes%n",
                sessions, listeners, AUDIT.size(), Files.size(dump));
    }

    private static void dump(Path file) throws Exception {
        Files.deleteIfExists(file);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
    }
}
