package dev.memwarden.telemetry;

/**
 * Every scalar memwarden samples. The historical ones are kept in the {@link Timeline}; the others (maxima,
 * limits, totals that only ever rise) are read from the latest {@link MemorySnapshot}.
 */
public enum Metric {
    HEAP_USED("heap.used", Unit.BYTES, true, "Java heap in use, live objects and garbage alike"),
    HEAP_COMMITTED("heap.committed", Unit.BYTES, true, "Java heap committed by the JVM"),
    HEAP_MAX("heap.max", Unit.BYTES, false, "maximum Java heap (-Xmx)"),
    LIVE_SET("heap.live", Unit.BYTES, true, "live set: old generation (or whole heap) after the last GC"),
    NON_HEAP_USED("nonheap.used", Unit.BYTES, true, "non-heap memory in use (metaspace, code cache)"),
    NON_HEAP_COMMITTED("nonheap.committed", Unit.BYTES, true, "non-heap memory committed"),
    METASPACE_USED("metaspace.used", Unit.BYTES, true, "metaspace in use"),
    METASPACE_COMMITTED("metaspace.committed", Unit.BYTES, true, "metaspace committed"),
    METASPACE_MAX("metaspace.max", Unit.BYTES, false, "metaspace limit (-XX:MaxMetaspaceSize)"),
    COMPRESSED_CLASS_USED("compressedclass.used", Unit.BYTES, true, "compressed class space in use"),
    COMPRESSED_CLASS_MAX(
            "compressedclass.max", Unit.BYTES, false, "compressed class space limit (-XX:CompressedClassSpaceSize)"),
    CODE_CACHE_USED("codecache.used", Unit.BYTES, true, "code cache in use, all segments"),
    DIRECT_COUNT("direct.count", Unit.COUNT, true, "direct byte buffers alive"),
    DIRECT_USED("direct.used", Unit.BYTES, true, "memory used by direct byte buffers"),
    DIRECT_CAPACITY("direct.capacity", Unit.BYTES, false, "total capacity of direct byte buffers"),
    DIRECT_MAX("direct.max", Unit.BYTES, false, "effective maximum direct memory (-XX:MaxDirectMemorySize)"),
    MAPPED_COUNT("mapped.count", Unit.COUNT, true, "mapped byte buffers alive"),
    MAPPED_USED("mapped.used", Unit.BYTES, true, "memory mapped by mapped byte buffers"),
    RSS("process.rss", Unit.BYTES, true, "process resident set size (VmRSS)"),
    RSS_PEAK("process.rss.peak", Unit.BYTES, false, "peak resident set size (VmHWM)"),
    RSS_ANON("process.rss.anon", Unit.BYTES, true, "anonymous resident memory (RssAnon)"),
    RSS_FILE("process.rss.file", Unit.BYTES, true, "file-backed resident memory (RssFile)"),
    FDS_OPEN("fds.open", Unit.COUNT, true, "open file descriptors"),
    FDS_MAX("fds.max", Unit.COUNT, false, "file descriptor limit"),
    THREADS("threads.live", Unit.COUNT, true, "live threads"),
    THREADS_PEAK("threads.peak", Unit.COUNT, false, "peak live threads"),
    THREADS_MAX(
            "threads.max",
            Unit.COUNT,
            false,
            "what bounds the threads: the lower of the process limit (ulimit -u) and the cgroup's pids.max"),
    THREADS_DAEMON("threads.daemon", Unit.COUNT, true, "live daemon threads"),
    CLASSES_LOADED("classes.loaded", Unit.COUNT, true, "classes currently loaded"),
    PROCESS_CPU_TIME("process.cpu.time", Unit.NANOSECONDS, false, "CPU time used by the process"),
    PROCESS_CPU_LOAD("process.cpu.load", Unit.RATIO, true, "share of the machine's CPU used since the last sample"),
    GC_COUNT("gc.count", Unit.COUNT, false, "collections, all collectors"),
    GC_TIME("gc.time", Unit.MILLISECONDS, false, "time reported by all collectors"),
    GC_OVERHEAD("gc.overhead", Unit.RATIO, true, "share of wall time in GC pauses over the last minute"),
    ALLOCATION_RATE("gc.allocation.rate", Unit.BYTES_PER_SECOND, true, "allocation rate over the last minute"),
    UPTIME("uptime", Unit.MILLISECONDS, false, "JVM uptime"),
    CONTAINER_LIMIT("container.limit", Unit.BYTES, false, "cgroup memory limit, nearest bounded ancestor included"),
    CONTAINER_USED("container.used", Unit.BYTES, true, "cgroup memory usage (memory.current)"),
    CONTAINER_PEAK("container.peak", Unit.BYTES, false, "cgroup peak usage (memory.peak)"),
    CONTAINER_ANON("container.anon", Unit.BYTES, true, "cgroup anonymous memory"),
    CONTAINER_FILE("container.file", Unit.BYTES, true, "cgroup page cache"),
    CONTAINER_OOM_KILLS("container.oom.kills", Unit.COUNT, false, "processes the kernel OOM-killed in this cgroup");

    /** How a metric's value is measured. */
    public enum Unit {
        BYTES,
        COUNT,
        RATIO,
        BYTES_PER_SECOND,
        NANOSECONDS,
        MILLISECONDS
    }

    private final String key;
    private final Unit unit;
    private final boolean historical;
    private final String description;

    Metric(String key, Unit unit, boolean historical, String description) {
        this.key = key;
        this.unit = unit;
        this.historical = historical;
        this.description = description;
    }

    /** A stable dotted name, e.g. {@code heap.live}, used by the API and metric exporters. */
    public String key() {
        return key;
    }

    public Unit unit() {
        return unit;
    }

    /** Whether the {@link Timeline} keeps a history of this metric. */
    public boolean historical() {
        return historical;
    }

    public String description() {
        return description;
    }
}
