package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Layer 5 as the detector uses it: the recording's allocation sites, read at most once per interval, and only once
 * layer 4 names growing classes where histograms are taken (what is alive is not necessarily what leaks). The sites of
 * the last reading are reported again while the suspicion lasts. Reading runs on the thread that gathers evidence,
 * one at a time; the last sites may be read from any thread.
 */
final class AllocationEvidence implements AutoCloseable {
    /** How often the recording may be read when class histograms are off and set no interval. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    private final @Nullable AllocationSource source;
    private final OwnClassLoads ownClasses;
    private final boolean waitsForClasses;
    private final long intervalMillis;
    private long lastAttempt = Long.MIN_VALUE;
    private volatile List<LeakReport.Suspect> lastSites = List.of();

    /**
     * @param waitsForClasses whether class histograms are taken, so that sites are read only once they name a class
     * @param interval the least time between two readings
     */
    AllocationEvidence(
            @Nullable AllocationSource source, OwnClassLoads ownClasses, boolean waitsForClasses, Duration interval) {
        this.source = source;
        this.ownClasses = ownClasses;
        this.waitsForClasses = waitsForClasses;
        this.intervalMillis = interval.toMillis();
    }

    /** The most the sites kept between readings hold. */
    static long footprintBytes() {
        return AllocationSites.MAX_SUSPECTS * ReportHistory.suspectFootprintBytes(true);
    }

    /**
     * The sites that explain the growing classes: read now if the interval allows, else those of the last reading.
     * Call from one thread at a time.
     *
     * @param classSuspects layer 4's suspects: the classes that grow
     * @param risingFor how long the live set has risen in this episode, zero when it does not
     */
    List<LeakReport.Suspect> suspects(Instant at, List<LeakReport.Suspect> classSuspects, Duration risingFor) {
        AllocationSource sites = source;
        if (sites == null) {
            return List.of();
        }
        ownClasses.during(at, () -> {
            sites.begin(at);
            return List.of();
        });
        if (!sites.ready(at)) {
            return lastSites;
        }
        Set<String> growing = new HashSet<>();
        for (LeakReport.Suspect s : classSuspects) {
            growing.add(s.name()); // already a Java name: GcClassHistogram.className
        }
        boolean joinable = !waitsForClasses || !growing.isEmpty();
        if (joinable && (lastAttempt == Long.MIN_VALUE || at.toEpochMilli() - lastAttempt >= intervalMillis)) {
            lastAttempt = at.toEpochMilli();
            List<LeakReport.Suspect> read = ownClasses.during(at, () -> sites.suspects(growing, risingFor));
            lastSites = List.copyOf(read.subList(0, Math.min(AllocationSites.MAX_SUSPECTS, read.size())));
        }
        return lastSites;
    }

    /** The sites of the last reading, without reading again. */
    List<LeakReport.Suspect> last() {
        return source == null ? List.of() : lastSites;
    }

    /** Nothing the heap holds is suspected any longer (or the leak is off-heap): the last sites say nothing. */
    void forget() {
        lastSites = List.of();
    }

    /** Stops the recording, if this reads one. */
    @Override
    public void close() {
        if (source instanceof AllocationSites recording) {
            recording.close();
        } else if (source instanceof RecordingOnSuspicion later) {
            later.close();
        }
    }
}
