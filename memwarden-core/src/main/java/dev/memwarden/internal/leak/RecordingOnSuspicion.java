package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Layer 5's recording, started when a heap leak is first suspected instead of at start-up. Until then it costs
 * nothing; from then on what JFR costs (measured on JDK 17 and 25 with the JVM's default options: about 15 MB of
 * native memory, NMT "Tracing", and 400 classes), which only a suspicion pays. Its samples hold only objects allocated
 * since it began, so it is read only once it has recorded for {@link #FIRST_READING_AFTER}: by the time a rise is
 * confirmed, it has recorded through a span of the rise. A recording that cannot start is logged once and not tried
 * again.
 */
final class RecordingOnSuspicion implements AllocationSource, AutoCloseable {
    /** The shortest span a rise shows in: less recording than that holds too few of a leak's objects. */
    static final Duration FIRST_READING_AFTER = LiveSetTrend.SHORTEST_SCALE;

    private static final System.Logger LOG = System.getLogger(RecordingOnSuspicion.class.getName());

    private final Supplier<AllocationSource> start;
    private volatile @Nullable AllocationSource recording;
    private long startedAt;
    private boolean stopped;

    /** @param start starts the recording, or throws to say why it cannot run here */
    RecordingOnSuspicion(Supplier<AllocationSource> start) {
        this.start = start;
    }

    @Override
    public synchronized void begin(Instant at) {
        if (recording != null || stopped) {
            return;
        }
        try {
            recording = start.get();
            startedAt = at.toEpochMilli();
            LOG.log(System.Logger.Level.INFO, "memwarden: a heap leak is suspected; recording allocation sites");
        } catch (RuntimeException e) {
            stopped = true;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "memwarden: allocation sites (leak layer 5) are off: " + e.getMessage());
        }
    }

    @Override
    public synchronized boolean ready(Instant at) {
        return recording != null && at.toEpochMilli() - startedAt >= FIRST_READING_AFTER.toMillis();
    }

    @Override
    public List<LeakReport.Suspect> suspects(Set<String> growingClasses, Duration risingFor) {
        AllocationSource running = recording;
        return running == null ? List.of() : running.suspects(growingClasses, risingFor);
    }

    /** Whether the recording runs. */
    boolean recording() {
        return recording != null;
    }

    @Override
    public synchronized void close() {
        stopped = true;
        if (recording instanceof AllocationSites sites) {
            sites.close();
        }
        recording = null;
    }
}
