package dev.memwarden.internal.telemetry;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads everything a {@link MemorySnapshot} holds into a preallocated {@link SampleBuffer}: MXBeans, {@code
 * /proc/self/status}, the memory cgroup, and the live set and rates derived by a {@link GcMonitor}.
 *
 * <p>RSS, the cgroup's usage and limit and every MXBean figure are read on every sample; the slow-moving figures that
 * cost most to read are refreshed every {@link #DEFAULT_DETAIL_REFRESH} and carried forward in between.
 *
 * <p>A sample allocates close to nothing: the /proc and cgroup files stay open and are re-read in place; the
 * only garbage is the {@link MemoryUsage} objects the pool beans return, and "usage after last collection" is
 * read only when a collector ran since the previous sample. {@code memwarden-bench} measures it.
 *
 * <p>Not thread-safe: one thread samples (the facade's {@code memwarden-sampler}).
 */
public final class MemorySampler implements AutoCloseable {
    private final InstantSource clock;
    private final MemoryMXBean memory;
    private final List<MemoryPoolMXBean> pools;
    private final boolean[] heapPools;
    private final int metaspacePool;
    private final int compressedClassPool;
    private final int[] codeCachePools;
    private final @Nullable BufferPoolMXBean direct;
    private final @Nullable BufferPoolMXBean mapped;
    private final double maxDirectMemory;
    private final List<GarbageCollectorMXBean> collectors;
    private final ThreadMXBean threads;
    private final ClassLoadingMXBean classes;
    private final RuntimeMXBean runtime;
    private final @Nullable UnixOperatingSystemMXBean unixOs;
    private final com.sun.management.@Nullable OperatingSystemMXBean hotspotOs;
    private final int processors;
    private final @Nullable ProcFile procStatus;
    private final @Nullable ProcFile procStatm;
    private final long pageSize;
    private final long detailRefreshMillis;
    private final ContainerReader container;
    private final @Nullable GcMonitor gcMonitor;

    /** Heap pools' usage after their last collection, kept between samples. */
    private final double[] afterGc;

    /** Slow-moving figures read every {@code detailRefreshMillis}, carried forward in between. */
    private long lastDetailRefresh = Long.MIN_VALUE;

    private final double threadLimit;
    private double fdsOpen = Double.NaN;
    private double fdsMax = Double.NaN;
    private long rssPeak = ProcFile.ABSENT;
    private long rssAnon = ProcFile.ABSENT;
    private long rssFile = ProcFile.ABSENT;

    private long lastGcCount = -1;
    private long lastCpuTime = -1;
    private long lastCpuWallNanos;

    @SuppressWarnings("TooManyParameters") // The test seam: every source a sample reads, injectable.
    MemorySampler(
            InstantSource clock,
            MemoryMXBean memory,
            List<MemoryPoolMXBean> pools,
            List<BufferPoolMXBean> bufferPools,
            List<GarbageCollectorMXBean> collectors,
            ThreadMXBean threads,
            ClassLoadingMXBean classes,
            RuntimeMXBean runtime,
            OperatingSystemMXBean os,
            long maxDirectMemory,
            @Nullable Path procSelf,
            ContainerReader container,
            @Nullable GcMonitor gcMonitor,
            Duration detailRefresh) {
        this.clock = clock;
        this.memory = memory;
        this.pools = List.copyOf(pools);
        this.heapPools = new boolean[pools.size()];
        this.afterGc = new double[pools.size()];
        Arrays.fill(afterGc, Double.NaN);
        int metaspace = -1;
        int compressedClass = -1;
        List<Integer> codeCache = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            String name = pools.get(i).getName();
            heapPools[i] = pools.get(i).getType() == MemoryType.HEAP;
            if (name.equals("Metaspace")) {
                metaspace = i;
            } else if (name.equals("Compressed Class Space")) {
                compressedClass = i;
            } else if (isCodeCache(name)) {
                codeCache.add(i);
            }
        }
        this.metaspacePool = metaspace;
        this.compressedClassPool = compressedClass;
        this.codeCachePools = codeCache.stream().mapToInt(Integer::intValue).toArray();
        this.direct = bufferPools.stream()
                .filter(b -> b.getName().equals("direct"))
                .findFirst()
                .orElse(null);
        this.mapped = bufferPools.stream()
                .filter(b -> b.getName().equals("mapped"))
                .findFirst()
                .orElse(null);
        this.maxDirectMemory = maxDirectMemory < 0 ? Double.NaN : maxDirectMemory;
        this.collectors = List.copyOf(collectors);
        this.threads = threads;
        this.classes = classes;
        this.runtime = runtime;
        this.unixOs = os instanceof UnixOperatingSystemMXBean unix ? unix : null;
        this.hotspotOs = os instanceof com.sun.management.OperatingSystemMXBean hotspot ? hotspot : null;
        this.processors = Math.max(1, os.getAvailableProcessors());
        this.procStatus = procSelf == null ? null : ProcFile.open(procSelf.resolve("status"), 4096);
        this.procStatm = procSelf == null ? null : ProcFile.open(procSelf.resolve("statm"), 256);
        this.threadLimit = procSelf == null ? Double.NaN : ThreadLimit.read(procSelf, Path.of("/"));
        this.pageSize = procSelf == null ? 4096 : pageSize(procSelf.resolve("auxv"));
        if (detailRefresh.isNegative()) {
            throw new IllegalArgumentException("the detail refresh period cannot be negative: " + detailRefresh);
        }
        this.detailRefreshMillis = detailRefresh.toMillis();
        this.container = container;
        this.gcMonitor = gcMonitor;
    }

    /**
     * How often the slow-moving figures are re-read: open file descriptors (the JDK lists /proc/self/fd on every
     * call), RssAnon/RssFile/peak RSS (/proc/self/status) and the cgroup's stat, events, peak and ancestor
     * limits. Each costs about 10 µs; RSS itself, the cgroup's usage and limit and every MXBean figure are read on
     * every sample.
     */
    public static final Duration DEFAULT_DETAIL_REFRESH = Duration.ofSeconds(5);

    /** A sampler of this JVM, optionally with the GC monitor whose derived metrics it adds to each sample. */
    public static MemorySampler create(InstantSource clock, @Nullable GcMonitor gcMonitor) {
        return create(clock, gcMonitor, DEFAULT_DETAIL_REFRESH);
    }

    /** As {@link #create(InstantSource, GcMonitor)}, re-reading the slow-moving figures every {@code detailRefresh}. */
    public static MemorySampler create(InstantSource clock, @Nullable GcMonitor gcMonitor, Duration detailRefresh) {
        Path procSelf = Path.of("/proc/self");
        return new MemorySampler(
                clock,
                ManagementFactory.getMemoryMXBean(),
                ManagementFactory.getMemoryPoolMXBeans(),
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class),
                ManagementFactory.getGarbageCollectorMXBeans(),
                ManagementFactory.getThreadMXBean(),
                ManagementFactory.getClassLoadingMXBean(),
                ManagementFactory.getRuntimeMXBean(),
                ManagementFactory.getOperatingSystemMXBean(),
                maxDirectMemory(),
                procSelf,
                ContainerReader.detect(procSelf, Path.of("/")),
                gcMonitor,
                detailRefresh);
    }

    /**
     * The JVM's effective limit on direct memory: {@code -XX:MaxDirectMemorySize}, or the maximum heap when it is
     * unset (0), as {@code java.nio} itself decides.
     */
    static long maxDirectMemory() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long configured =
                    Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The page size from the ELF auxiliary vector (AT_PAGESZ), to turn /proc/self/statm pages into bytes. */
    static long pageSize(Path auxv) {
        final long atPageSize = 6;
        try {
            ByteBuffer entries = ByteBuffer.wrap(Files.readAllBytes(auxv)).order(ByteOrder.nativeOrder());
            while (entries.remaining() >= 16) {
                long type = entries.getLong();
                long value = entries.getLong();
                if (type == atPageSize && value > 0) {
                    return value;
                }
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // Not Linux, or not readable: fall through to the common page size.
        }
        return 4096;
    }

    /** Whether a memory pool is a segment of the code cache ({@code CodeHeap ...}, or {@code Code Cache}). */
    public static boolean isCodeCache(String poolName) {
        return poolName.startsWith("CodeHeap") || poolName.equals("Code Cache");
    }

    /** A buffer shaped for this JVM's pools and collectors. */
    public SampleBuffer newBuffer() {
        List<String> poolNames = new ArrayList<>(pools.size());
        pools.forEach(p -> poolNames.add(p.getName()));
        List<String> collectorNames = new ArrayList<>(collectors.size());
        collectors.forEach(c -> collectorNames.add(c.getName()));
        return new SampleBuffer(poolNames, heapPools, collectorNames);
    }

    /** Takes one sample into {@code into}, which must come from {@link #newBuffer()}. */
    public void sample(SampleBuffer into) {
        long now = clock.millis();
        into.clear();
        into.setTakenAt(now);
        readHeap(into);
        readCollectors(into); // before the pools: they re-read "usage after GC" only when GC_COUNT moved
        readPools(into);
        readBuffers(into);
        readThreadsAndClasses(into);
        boolean detailed = lastDetailRefresh == Long.MIN_VALUE || now - lastDetailRefresh >= detailRefreshMillis;
        if (detailed) {
            lastDetailRefresh = now;
        }
        readProcess(into, detailed);
        container.read(into, detailed);
        if (gcMonitor != null) {
            gcMonitor.observe(now, (long) into.get(Metric.HEAP_USED));
            gcMonitor.writeTo(into, now);
        }
    }

    private void readHeap(SampleBuffer into) {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        into.set(Metric.HEAP_USED, heap.getUsed());
        into.set(Metric.HEAP_COMMITTED, heap.getCommitted());
        into.set(Metric.HEAP_MAX, maxOf(heap));
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        into.set(Metric.NON_HEAP_USED, nonHeap.getUsed());
        into.set(Metric.NON_HEAP_COMMITTED, nonHeap.getCommitted());
    }

    private void readPools(SampleBuffer into) {
        long gcCount = (long) into.get(Metric.GC_COUNT);
        boolean collectedSinceLastSample = gcCount != lastGcCount;
        lastGcCount = gcCount;
        for (int i = 0; i < pools.size(); i++) {
            MemoryPoolMXBean pool = pools.get(i);
            MemoryUsage usage = pool.getUsage();
            if (usage == null) {
                continue; // the pool is no longer valid
            }
            into.setPool(i, SampleBuffer.POOL_USED, usage.getUsed());
            into.setPool(i, SampleBuffer.POOL_COMMITTED, usage.getCommitted());
            into.setPool(i, SampleBuffer.POOL_MAX, maxOf(usage));
        }
        readAfterGc(into, collectedSinceLastSample);
        if (metaspacePool >= 0) {
            into.set(Metric.METASPACE_USED, into.pool(metaspacePool, SampleBuffer.POOL_USED));
            into.set(Metric.METASPACE_COMMITTED, into.pool(metaspacePool, SampleBuffer.POOL_COMMITTED));
            into.set(Metric.METASPACE_MAX, into.pool(metaspacePool, SampleBuffer.POOL_MAX));
        }
        if (compressedClassPool >= 0) {
            into.set(Metric.COMPRESSED_CLASS_USED, into.pool(compressedClassPool, SampleBuffer.POOL_USED));
            into.set(Metric.COMPRESSED_CLASS_MAX, into.pool(compressedClassPool, SampleBuffer.POOL_MAX));
        }
        if (codeCachePools.length > 0) {
            double codeCache = 0;
            for (int i : codeCachePools) {
                codeCache += into.pool(i, SampleBuffer.POOL_USED);
            }
            into.set(Metric.CODE_CACHE_USED, codeCache);
        }
    }

    /** Usage after the last collection only changes when a collector ran, so it is re-read only then. */
    private void readAfterGc(SampleBuffer into, boolean collectedSinceLastSample) {
        for (int i = 0; i < pools.size(); i++) {
            if (collectedSinceLastSample && heapPools[i]) {
                MemoryUsage after = pools.get(i).getCollectionUsage();
                afterGc[i] = after == null ? Double.NaN : after.getUsed();
            }
            into.setPool(i, SampleBuffer.POOL_AFTER_GC, afterGc[i]);
        }
    }

    private void readBuffers(SampleBuffer into) {
        if (direct != null) {
            into.set(Metric.DIRECT_COUNT, direct.getCount());
            into.set(Metric.DIRECT_USED, direct.getMemoryUsed());
            into.set(Metric.DIRECT_CAPACITY, direct.getTotalCapacity());
        }
        into.set(Metric.DIRECT_MAX, maxDirectMemory);
        if (mapped != null) {
            into.set(Metric.MAPPED_COUNT, mapped.getCount());
            into.set(Metric.MAPPED_USED, mapped.getMemoryUsed());
        }
    }

    private void readCollectors(SampleBuffer into) {
        double count = 0;
        double time = 0;
        for (int i = 0; i < collectors.size(); i++) {
            GarbageCollectorMXBean collector = collectors.get(i);
            long c = collector.getCollectionCount();
            long t = collector.getCollectionTime();
            into.setCollector(i, SampleBuffer.COLLECTOR_COUNT, c < 0 ? Double.NaN : c);
            into.setCollector(i, SampleBuffer.COLLECTOR_TIME, t < 0 ? Double.NaN : t);
            count += Math.max(0, c);
            time += Math.max(0, t);
        }
        into.set(Metric.GC_COUNT, count);
        into.set(Metric.GC_TIME, time);
    }

    private void readThreadsAndClasses(SampleBuffer into) {
        into.set(Metric.THREADS, threads.getThreadCount());
        into.set(Metric.THREADS_PEAK, threads.getPeakThreadCount());
        into.set(Metric.THREADS_DAEMON, threads.getDaemonThreadCount());
        into.set(Metric.THREADS_MAX, threadLimit);
        into.set(Metric.CLASSES_LOADED, classes.getLoadedClassCount());
        into.set(Metric.UPTIME, runtime.getUptime());
    }

    private void readProcess(SampleBuffer into, boolean detailed) {
        if (unixOs != null) {
            if (detailed) {
                fdsOpen = positiveOrAbsent(unixOs.getOpenFileDescriptorCount());
                fdsMax = positiveOrAbsent(unixOs.getMaxFileDescriptorCount());
            }
            into.set(Metric.FDS_OPEN, fdsOpen);
            into.set(Metric.FDS_MAX, fdsMax);
        }
        if (hotspotOs != null) {
            long cpu = hotspotOs.getProcessCpuTime();
            long wall = System.nanoTime();
            if (cpu >= 0) {
                into.set(Metric.PROCESS_CPU_TIME, cpu);
                if (lastCpuTime >= 0 && wall > lastCpuWallNanos) {
                    double load = (cpu - lastCpuTime) / (double) (wall - lastCpuWallNanos) / processors;
                    into.set(Metric.PROCESS_CPU_LOAD, Math.max(0, Math.min(1, load)));
                }
                lastCpuTime = cpu;
                lastCpuWallNanos = wall;
            }
        }
        if (detailed && procStatus != null && procStatus.refresh()) {
            rssPeak = procStatus.keyed("VmHWM");
            rssAnon = procStatus.keyed("RssAnon");
            rssFile = procStatus.keyed("RssFile");
            if (procStatm == null) {
                into.setLong(Metric.RSS, procStatus.keyed("VmRSS"));
            }
        }
        if (procStatm != null && procStatm.refresh()) {
            long residentPages = procStatm.field(1);
            if (residentPages != ProcFile.ABSENT) {
                long rss = residentPages * pageSize;
                into.set(Metric.RSS, rss);
                // The peak read at the last refresh cannot be below what is resident now.
                rssPeak = rssPeak == ProcFile.ABSENT ? ProcFile.ABSENT : Math.max(rssPeak, rss);
            }
        }
        into.setLong(Metric.RSS_PEAK, rssPeak);
        into.setLong(Metric.RSS_ANON, rssAnon);
        into.setLong(Metric.RSS_FILE, rssFile);
    }

    private static double positiveOrAbsent(long value) {
        return value < 0 ? Double.NaN : value;
    }

    /** A pool's max of -1 means the pool has no maximum of its own. */
    private static double maxOf(MemoryUsage usage) {
        return usage.getMax() < 0 ? Double.POSITIVE_INFINITY : usage.getMax();
    }

    @Override
    public void close() {
        if (procStatus != null) {
            procStatus.close();
        }
        container.close();
    }
}
