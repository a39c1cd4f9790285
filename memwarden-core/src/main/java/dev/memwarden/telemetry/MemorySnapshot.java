package dev.memwarden.telemetry;

import dev.memwarden.internal.telemetry.MemorySampler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One reading of the JVM's memory, immutable. A value the platform does not provide is absent (an empty
 * optional), never 0; a maximum without a bound is {@link Limit#unlimited()}.
 *
 * @param liveSet the live set after the last GC: the old generation for generational collectors, the whole heap
 *     for the others; absent until the first collection
 * @param gcOverhead share of wall time spent in GC pauses over the last minute, 0 to 1
 * @param allocationRate bytes allocated per second over the last minute, as measured at GC boundaries
 * @param container the cgroup this process runs in, absent outside a memory-controlled cgroup
 */
public record MemorySnapshot(
        Instant takenAt,
        Duration uptime,
        Usage heap,
        Usage nonHeap,
        List<Pool> pools,
        BufferPool direct,
        BufferPool mapped,
        Limit maxDirectMemory,
        ProcessMemory process,
        OptionalLong openFileDescriptors,
        OptionalLong maxFileDescriptors,
        Threads threads,
        long loadedClasses,
        OptionalLong processCpuTimeNanos,
        OptionalDouble processCpuLoad,
        OptionalLong liveSet,
        double gcOverhead,
        OptionalDouble allocationRate,
        List<Collector> collectors,
        Optional<Container> container) {

    public MemorySnapshot {
        pools = List.copyOf(pools);
        collectors = List.copyOf(collectors);
    }

    /** Used, committed and maximum of one memory area. */
    public record Usage(long used, long committed, Limit max) {}

    /** One memory pool as the JVM reports it. */
    public record Pool(String name, boolean heap, long used, long committed, Limit max, OptionalLong usedAfterLastGc) {}

    /** A buffer pool ({@code direct} or {@code mapped}). */
    public record BufferPool(long count, long used, long capacity) {}

    /** Resident memory of the process, from /proc/self/status. */
    public record ProcessMemory(OptionalLong rss, OptionalLong peakRss, OptionalLong rssAnon, OptionalLong rssFile) {}

    public record Threads(long live, long peak, long daemon) {}

    /** One garbage collector's totals since JVM start. */
    public record Collector(String name, long count, Duration time) {}

    /**
     * The memory cgroup: v2 {@code memory.max/current/peak/stat/events}, or the v1 equivalents.
     *
     * @param limit the effective limit, the smallest of this cgroup's and its ancestors'
     */
    public record Container(
            int cgroupVersion,
            Limit limit,
            long used,
            OptionalLong peak,
            OptionalLong anon,
            OptionalLong file,
            OptionalLong oomKills) {}

    public Optional<Pool> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<Pool> metaspace() {
        return pool("Metaspace");
    }

    public Optional<Pool> compressedClassSpace() {
        return pool("Compressed Class Space");
    }

    /** The code cache, all segments summed. */
    public Usage codeCache() {
        long used = 0;
        long committed = 0;
        long max = 0;
        for (Pool p : pools) {
            if (MemorySampler.isCodeCache(p.name())) {
                used += p.used();
                committed += p.committed();
                max = p.max().isUnlimited() || max == Long.MAX_VALUE
                        ? Long.MAX_VALUE
                        : max + p.max().value().orElse(0);
            }
        }
        return new Usage(used, committed, Limit.of(max));
    }
}
