package dev.memwarden.demo.defaults;

import dev.memwarden.leak.LeakReport;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The services the defaults scenarios run, each embedding memwarden with {@code Memwarden.builder().start()} and
 * nothing else: a leak of each kind, judged by whether it is reported before its limit with the right kind of suspect,
 * and healthy shapes, judged by never being CONFIRMED and ending with no leak reported.
 */
public enum Scenario {
    MAP(HeapLeaks.OrderMap::new, Scenario::heapSuspect, "a heap suspect", "ORDERS"),
    LISTENERS(HeapLeaks.Listeners::new, Scenario::heapSuspect, "a heap suspect", "SUBSCRIBERS"),
    THREAD_LOCAL(HeapLeaks.PooledHistory::new, Scenario::heapSuspect, "a heap suspect", "ThreadLocal"),
    DIRECT(OffHeapLeaks.DirectBuffers::new, offHeap("direct buffers"), "OFF_HEAP direct buffers"),
    THREADS(OffHeapLeaks.Threads::new, offHeap("threads"), "OFF_HEAP threads"),
    CLASS_LOADERS(
            OffHeapLeaks.TenantLoaders::new,
            offHeap("metaspace").or(offHeap("loaded classes")),
            "OFF_HEAP metaspace or loaded classes"),
    FILES(OffHeapLeaks.OpenFiles::new, offHeap("file descriptors"), "OFF_HEAP file descriptors"),
    NATIVE(OffHeapLeaks.NativeCompressors::new, offHeap("native memory"), "OFF_HEAP native memory"),
    LRU_CACHE(HealthyLoads.LruCache::new, null, "no leak"),
    BATCH(HealthyLoads.Batch::new, null, "no leak"),
    BURSTS(HealthyLoads.Bursts::new, null, "no leak"),
    STEADY(HealthyLoads.SteadyLargeLiveSet::new, null, "no leak"),
    IDLE(HealthyLoads.Idle::new, null, "no leak");

    private final Supplier<Workload> workload;
    private final @Nullable Predicate<LeakReport.Suspect> rightSuspect;
    private final String expected;
    private final String holder;

    Scenario(Supplier<Workload> workload, @Nullable Predicate<LeakReport.Suspect> rightSuspect, String expected) {
        this(workload, rightSuspect, expected, "");
    }

    Scenario(
            Supplier<Workload> workload,
            @Nullable Predicate<LeakReport.Suspect> rightSuspect,
            String expected,
            String holder) {
        this.workload = workload;
        this.rightSuspect = rightSuspect;
        this.expected = expected;
        this.holder = holder;
    }

    /** For a heap leak, what holds it: a word some suspect's path from a GC root names; empty for the others. */
    public String holder() {
        return holder;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario fromCli(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public boolean leaks() {
        return rightSuspect != null;
    }

    /** What the first report must lead with, in words. */
    public String expected() {
        return expected;
    }

    /** Whether a report's suspect is the kind this leak must be reported with. */
    boolean rightSuspect(LeakReport.Suspect suspect) {
        return rightSuspect != null && rightSuspect.test(suspect);
    }

    /**
     * The JVM options the service runs with besides the collector: a 256 MB heap, and for the class-loader leak a
     * metaspace limit to run into (unbounded, it would run the machine out first).
     */
    public List<String> jvmOptions() {
        return this == CLASS_LOADERS ? List.of("-Xmx256m", "-XX:MaxMetaspaceSize=64m") : List.of("-Xmx256m");
    }

    /**
     * The memory limit of the container the service must run in, in bytes, or 0: the native leak runs into the
     * container's limit, and without one it would run the machine out first.
     */
    public long containerBytes() {
        return this == NATIVE ? 512L << 20 : 0;
    }

    Workload workload() {
        return workload.get();
    }

    private static boolean heapSuspect(LeakReport.Suspect suspect) {
        return suspect.kind() != LeakReport.Kind.OFF_HEAP;
    }

    private static Predicate<LeakReport.Suspect> offHeap(String name) {
        return suspect ->
                suspect.kind() == LeakReport.Kind.OFF_HEAP && suspect.name().equals(name);
    }
}
