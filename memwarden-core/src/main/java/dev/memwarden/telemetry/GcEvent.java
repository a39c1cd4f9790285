package dev.memwarden.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One collection as a GC notification reported it.
 *
 * @param collector the GarbageCollectorMXBean's name, e.g. {@code G1 Young Generation}
 * @param pause whether {@code duration} was a stop-the-world pause; false for the concurrent cycles that ZGC and
 *     Shenandoah report separately from their pauses
 * @param action the JVM's words for it, e.g. {@code end of minor GC}
 * @param cause why it ran, e.g. {@code G1 Evacuation Pause} or {@code System.gc()}
 * @param pools heap pools before and after
 */
public record GcEvent(
        long id,
        String collector,
        Generation generation,
        boolean pause,
        String action,
        String cause,
        Instant start,
        Duration duration,
        List<PoolChange> pools,
        long heapBefore,
        long heapAfter) {

    public GcEvent {
        pools = List.copyOf(pools);
    }

    /** Minor collections take the young generation; major ones the whole heap or the old generation. */
    public enum Generation {
        MINOR,
        MAJOR
    }

    public record PoolChange(String pool, long usedBefore, long usedAfter) {}

    public Instant end() {
        return start.plus(duration);
    }
}
