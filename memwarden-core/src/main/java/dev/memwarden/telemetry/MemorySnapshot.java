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

    /**
     * A maximum that is either a number of bytes (or items) or unlimited. A maximum the platform does not report at
     * all is not a {@code Limit} but an absent value.
     */
    public static final class Limit {
        private static final Limit UNLIMITED = new Limit(Long.MAX_VALUE);

        private final long value;

        private Limit(long value) {
            this.value = value;
        }

        public static Limit of(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("a limit is zero or more, not " + value);
            }
            return value == Long.MAX_VALUE ? UNLIMITED : new Limit(value);
        }

        public static Limit unlimited() {
            return UNLIMITED;
        }

        public boolean isUnlimited() {
            return value == Long.MAX_VALUE;
        }

        /** The limit, or empty when unlimited. */
        public OptionalLong value() {
            return isUnlimited() ? OptionalLong.empty() : OptionalLong.of(value);
        }

        /** Encodes the limit in a sample column, where {@code Long.MAX_VALUE} stands for unlimited. */
        long raw() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Limit other && other.value == value;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value);
        }

        @Override
        public String toString() {
            return isUnlimited() ? "unlimited" : Long.toString(value);
        }
    }
}
