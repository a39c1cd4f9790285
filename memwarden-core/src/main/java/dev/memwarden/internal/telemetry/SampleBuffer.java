package dev.memwarden.internal.telemetry;

import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One sample as preallocated columns of primitives: what {@link MemorySampler} writes into without allocating
 * and what the {@link Timeline} and the health rules read. An absent value is {@code NaN}; an unlimited maximum is
 * {@code +Infinity}. Doubles hold byte counts exactly up to 8 PiB.
 *
 * <p>Not thread-safe: a buffer belongs to one writer; readers on other threads get a copy ({@link #copyFrom}) or
 * an immutable {@link #toSnapshot()}.
 */
public final class SampleBuffer {
    /** How many metrics there are: a buffer holds one column each. */
    static final int METRICS = Metric.values().length;

    static final int POOL_USED = 0;
    static final int POOL_COMMITTED = 1;
    static final int POOL_MAX = 2;
    static final int POOL_AFTER_GC = 3;
    static final int POOL_FIELDS = 4;
    static final int COLLECTOR_COUNT = 0;
    static final int COLLECTOR_TIME = 1;
    static final int COLLECTOR_FIELDS = 2;

    private final double[] scalars = new double[METRICS];
    private final List<String> poolNames;
    private final boolean[] heapPools;
    private final double[] pools;
    private final List<String> collectorNames;
    private final double[] collectors;
    private int cgroupVersion;
    private long takenAtMillis;

    SampleBuffer(List<String> poolNames, boolean[] heapPools, List<String> collectorNames) {
        this.poolNames = List.copyOf(poolNames);
        this.heapPools = heapPools.clone();
        this.pools = new double[poolNames.size() * POOL_FIELDS];
        this.collectorNames = List.copyOf(collectorNames);
        this.collectors = new double[collectorNames.size() * COLLECTOR_FIELDS];
        clear();
    }

    /** A buffer of the same shape, for handing a copy to another thread. */
    public SampleBuffer newBuffer() {
        return new SampleBuffer(poolNames, heapPools, collectorNames);
    }

    /** The value, {@code NaN} when absent, {@code +Infinity} for an unlimited maximum. */
    public double get(Metric metric) {
        return scalars[column(metric)];
    }

    public boolean has(Metric metric) {
        return !Double.isNaN(scalars[column(metric)]);
    }

    public long takenAtMillis() {
        return takenAtMillis;
    }

    /** Copies another buffer of the same shape into this one, without allocating. */
    public void copyFrom(SampleBuffer other) {
        if (other.pools.length != pools.length || other.collectors.length != collectors.length) {
            throw new IllegalArgumentException("buffers of different shape");
        }
        System.arraycopy(other.scalars, 0, scalars, 0, scalars.length);
        System.arraycopy(other.pools, 0, pools, 0, pools.length);
        System.arraycopy(other.collectors, 0, collectors, 0, collectors.length);
        cgroupVersion = other.cgroupVersion;
        takenAtMillis = other.takenAtMillis;
    }

    void clear() {
        Arrays.fill(scalars, Double.NaN);
        Arrays.fill(pools, Double.NaN);
        Arrays.fill(collectors, Double.NaN);
        cgroupVersion = 0;
    }

    void set(Metric metric, double value) {
        scalars[column(metric)] = value;
    }

    /** Stores a count or byte value; doubles hold them exactly up to 2^53. */
    void set(Metric metric, long value) {
        scalars[column(metric)] = (double) value;
    }

    /** Stores a count or byte value, where {@link ProcFile#ABSENT} becomes absent. */
    void setLong(Metric metric, long value) {
        scalars[column(metric)] = value == ProcFile.ABSENT ? Double.NaN : (double) value;
    }

    void setPool(int pool, int field, double value) {
        pools[pool * POOL_FIELDS + field] = value;
    }

    void setPool(int pool, int field, long value) {
        pools[pool * POOL_FIELDS + field] = (double) value;
    }

    double pool(int pool, int field) {
        return pools[pool * POOL_FIELDS + field];
    }

    void setCollector(int collector, int field, double value) {
        collectors[collector * COLLECTOR_FIELDS + field] = value;
    }

    void setTakenAt(long epochMillis) {
        this.takenAtMillis = epochMillis;
    }

    void setCgroupVersion(int version) {
        this.cgroupVersion = version;
    }

    /** Builds the immutable view; this is where a sample allocates, and only when someone asks. */
    public MemorySnapshot toSnapshot() {
        List<MemorySnapshot.Pool> poolList = new ArrayList<>(poolNames.size());
        for (int i = 0; i < poolNames.size(); i++) {
            poolList.add(new MemorySnapshot.Pool(
                    poolNames.get(i),
                    heapPools[i],
                    longOrZero(pool(i, POOL_USED)),
                    longOrZero(pool(i, POOL_COMMITTED)),
                    limit(pool(i, POOL_MAX)),
                    optionalLong(pool(i, POOL_AFTER_GC))));
        }
        List<MemorySnapshot.Collector> collectorList = new ArrayList<>(collectorNames.size());
        for (int i = 0; i < collectorNames.size(); i++) {
            collectorList.add(new MemorySnapshot.Collector(
                    collectorNames.get(i),
                    longOrZero(collectors[i * COLLECTOR_FIELDS + COLLECTOR_COUNT]),
                    Duration.ofMillis(longOrZero(collectors[i * COLLECTOR_FIELDS + COLLECTOR_TIME]))));
        }
        Optional<MemorySnapshot.Container> container = cgroupVersion == 0
                ? Optional.empty()
                : Optional.of(new MemorySnapshot.Container(
                        cgroupVersion,
                        limit(get(Metric.CONTAINER_LIMIT)),
                        longOrZero(get(Metric.CONTAINER_USED)),
                        optionalLong(get(Metric.CONTAINER_PEAK)),
                        optionalLong(get(Metric.CONTAINER_ANON)),
                        optionalLong(get(Metric.CONTAINER_FILE)),
                        optionalLong(get(Metric.CONTAINER_OOM_KILLS))));
        return new MemorySnapshot(
                Instant.ofEpochMilli(takenAtMillis),
                Duration.ofMillis(longOrZero(get(Metric.UPTIME))),
                usage(Metric.HEAP_USED, Metric.HEAP_COMMITTED, get(Metric.HEAP_MAX)),
                usage(Metric.NON_HEAP_USED, Metric.NON_HEAP_COMMITTED, Double.POSITIVE_INFINITY),
                poolList,
                new MemorySnapshot.BufferPool(
                        longOrZero(get(Metric.DIRECT_COUNT)),
                        longOrZero(get(Metric.DIRECT_USED)),
                        longOrZero(get(Metric.DIRECT_CAPACITY))),
                new MemorySnapshot.BufferPool(
                        longOrZero(get(Metric.MAPPED_COUNT)), longOrZero(get(Metric.MAPPED_USED)), 0),
                limit(get(Metric.DIRECT_MAX)),
                new MemorySnapshot.ProcessMemory(
                        optionalLong(get(Metric.RSS)),
                        optionalLong(get(Metric.RSS_PEAK)),
                        optionalLong(get(Metric.RSS_ANON)),
                        optionalLong(get(Metric.RSS_FILE))),
                optionalLong(get(Metric.FDS_OPEN)),
                optionalLong(get(Metric.FDS_MAX)),
                new MemorySnapshot.Threads(
                        longOrZero(get(Metric.THREADS)),
                        longOrZero(get(Metric.THREADS_PEAK)),
                        longOrZero(get(Metric.THREADS_DAEMON))),
                longOrZero(get(Metric.CLASSES_LOADED)),
                optionalLong(get(Metric.PROCESS_CPU_TIME)),
                optionalDouble(get(Metric.PROCESS_CPU_LOAD)),
                optionalLong(get(Metric.LIVE_SET)),
                has(Metric.GC_OVERHEAD) ? get(Metric.GC_OVERHEAD) : 0.0,
                optionalDouble(get(Metric.ALLOCATION_RATE)),
                collectorList,
                container);
    }

    private MemorySnapshot.Usage usage(Metric used, Metric committed, double max) {
        return new MemorySnapshot.Usage(longOrZero(get(used)), longOrZero(get(committed)), limit(max));
    }

    private static long longOrZero(double value) {
        return Double.isNaN(value) ? 0 : (long) value;
    }

    private static OptionalLong optionalLong(double value) {
        return Double.isNaN(value) ? OptionalLong.empty() : OptionalLong.of((long) value);
    }

    private static OptionalDouble optionalDouble(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static MemorySnapshot.Limit limit(double value) {
        return Double.isNaN(value) || Double.isInfinite(value)
                ? MemorySnapshot.Limit.unlimited()
                : MemorySnapshot.Limit.of((long) value);
    }

    /** A metric's column: its declaration order, fixed for the life of the JVM. */
    @SuppressWarnings("EnumOrdinal") // Columns of primitives indexed by metric are the point of the layout.
    static int column(Metric metric) {
        return metric.ordinal();
    }
}
