package dev.memwarden.budget;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.memwarden.internal.Format;
import dev.memwarden.internal.GcAlgorithm;
import dev.memwarden.internal.telemetry.MemorySampler;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.telemetry.Metric;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether a JVM's memory fits its container: heap, metaspace, code cache, direct memory, thread stacks, GC and
 * other native overhead, added up against the limit the kernel enforces, with a verdict, the flags that would
 * make it fit, and suggested limits for the bounded primitives.
 *
 * <p>For the running JVM ({@link #ofRunningJvm()}) the maxima come from its VM options and the rest from
 * MXBeans, or from Native Memory Tracking's summary when {@code -XX:NativeMemoryTracking} is on. For a planned
 * JVM ({@link #plan}) everything comes from the flags, with documented estimates where a flag is unset. The
 * estimates: GC structures as a share of the heap (G1 6 %, ZGC and Shenandoah 4 %, Parallel 3 %, Serial 2 %),
 * 48 MB of other native memory (JIT arenas, symbols, class data), 96 MB of metaspace when unbounded, 48 MB of
 * code cache when unset, 1 MB stacks.
 *
 * @param limit the bytes the total is weighed against
 * @param limitSource where the limit came from: the cgroup, the planned container, or physical memory
 */
public record MemoryBudget(
        long limit,
        String limitSource,
        List<Item> items,
        long total,
        Verdict verdict,
        List<String> notes,
        List<String> recommendedFlags) {

    static final long MB = 1 << 20;
    static final long OTHER_NATIVE = 48 * MB;
    static final long TYPICAL_METASPACE = 96 * MB;
    static final long TYPICAL_CODE_CACHE = 48 * MB;
    static final long DEFAULT_STACK = MB;

    public MemoryBudget {
        items = List.copyOf(items);
        notes = List.copyOf(notes);
        recommendedFlags = List.copyOf(recommendedFlags);
    }

    /** FITS: the total is at most 90 % of the limit; TIGHT: at most 100 %; OVER: above it. */
    public enum Verdict {
        FITS,
        TIGHT,
        OVER
    }

    /** One line of the budget; {@code basis} says where the figure came from. */
    public record Item(String name, long bytes, String basis) {}

    /** Suggested bounds for the primitives in a JVM of one container size (see {@link #suggestedLimits()}). */
    public record PrimitiveLimits(
            long instanceBytes,
            long heapBytes,
            long cacheBytes,
            int queueElements,
            int sseClients,
            int ringBufferElements) {}

    /**
     * Plans a JVM in a container.
     *
     * @param containerBytes the container's memory limit
     * @param flags the JVM flags it will start with, e.g. {@code -Xmx384m}, {@code -XX:MaxRAMPercentage=75}
     * @param threads how many threads it will run
     */
    public static MemoryBudget plan(long containerBytes, List<String> flags, int threads) {
        if (containerBytes < 64 * MB) {
            throw new IllegalArgumentException("a container of " + containerBytes + " bytes is too small for a JVM");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads is at least 1, not " + threads);
        }
        JvmFlags f = JvmFlags.parse(flags);
        List<Item> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long heap = f.maxHeap().isPresent()
                ? f.maxHeap().getAsLong()
                : (long) (containerBytes * f.maxRamPercentage().orElse(25) / 100);
        items.add(new Item(
                "heap",
                heap,
                f.maxHeap().isPresent()
                        ? "-Xmx"
                        : "MaxRAMPercentage=" + fmt(f.maxRamPercentage().orElse(25)) + " % of the container"));
        if (f.maxMetaspace().isPresent()) {
            items.add(new Item("metaspace", f.maxMetaspace().getAsLong(), "-XX:MaxMetaspaceSize"));
        } else {
            items.add(new Item("metaspace", TYPICAL_METASPACE, "unbounded; typical use counted"));
            notes.add("metaspace is unbounded: a class loader leak grows it until the container is killed");
        }
        if (f.codeCache().isPresent()) {
            items.add(new Item("code cache", f.codeCache().getAsLong(), "-XX:ReservedCodeCacheSize"));
        } else {
            items.add(new Item("code cache", TYPICAL_CODE_CACHE, "unset; typical use counted (reserved 240 MB)"));
        }
        if (f.maxDirect().isPresent()) {
            items.add(new Item("direct memory", f.maxDirect().getAsLong(), "-XX:MaxDirectMemorySize"));
        } else {
            items.add(new Item("direct memory", heap, "unset: defaults to the heap maximum"));
            notes.add("MaxDirectMemorySize is unset, so direct buffers may grow as large as the heap");
        }
        long stack = f.threadStack().orElse(DEFAULT_STACK);
        items.add(new Item("thread stacks", threads * stack, threads + " threads × " + Format.wholeBytes(stack)));
        items.add(new Item(
                "GC structures",
                (long) (heap * gcShare(f.collector())),
                f.collector().displayName() + " estimate, " + fmt(gcShare(f.collector()) * 100) + " % of heap"));
        items.add(new Item("other native", OTHER_NATIVE, "estimate: JIT, symbols, class data, malloc"));
        long recommendedHeap = Caps.of(containerBytes, threads).heap;
        if (recommendedHeap < 64 * MB) {
            notes.add("with " + threads + " threads this container leaves only " + Format.wholeBytes(recommendedHeap)
                    + " for the heap even with the recommended caps: use fewer threads or a larger container");
        }
        return assemble(containerBytes, "planned container", items, notes, recommend(containerBytes, threads));
    }

    /** The budget of this JVM against its cgroup limit, or physical memory outside a container. */
    public static MemoryBudget ofRunningJvm() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<Item> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long heap = Runtime.getRuntime().maxMemory();
        items.add(new Item("heap", heap, "maximum heap"));
        Map<String, Long> nmt = nativeMemoryTracking(hotspot);
        if (!nmt.isEmpty()) {
            notes.add("native figures from Native Memory Tracking (committed)");
        }
        long metaspaceMax = option(hotspot, "MaxMetaspaceSize");
        if (metaspaceMax > 0 && metaspaceMax < (1L << 60)) {
            items.add(new Item("metaspace", metaspaceMax, "-XX:MaxMetaspaceSize"));
        } else {
            long committed = poolCommitted("Metaspace");
            items.add(
                    new Item("metaspace", Math.max(committed + committed / 5, 32 * MB), "unbounded; 1.2 × committed"));
            notes.add("metaspace is unbounded: a class loader leak grows it until the container is killed");
        }
        VMOption code = hotspot.getVMOption("ReservedCodeCacheSize");
        if (isExplicit(code)) {
            items.add(new Item("code cache", Long.parseLong(code.getValue()), "-XX:ReservedCodeCacheSize"));
        } else if (nmt.containsKey("Code")) {
            items.add(new Item("code cache", nmt.get("Code"), "NMT"));
        } else {
            long used = codeCacheCommitted();
            items.add(new Item("code cache", used + used / 2, "unset; 1.5 × committed"));
        }
        long direct = option(hotspot, "MaxDirectMemorySize");
        if (direct > 0) {
            items.add(new Item("direct memory", direct, "-XX:MaxDirectMemorySize"));
        } else {
            items.add(new Item("direct memory", heap, "unset: defaults to the heap maximum"));
            notes.add("MaxDirectMemorySize is unset, so direct buffers may grow as large as the heap");
        }
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long stack = option(hotspot, "ThreadStackSize") * 1024;
        if (nmt.containsKey("Thread")) {
            items.add(new Item("thread stacks", nmt.get("Thread"), "NMT, " + threads + " threads"));
        } else {
            items.add(new Item("thread stacks", threads * stack, threads + " threads × " + Format.wholeBytes(stack)));
        }
        GcAlgorithm collector = runningCollector();
        if (nmt.containsKey("GC")) {
            items.add(new Item("GC structures", nmt.get("GC"), "NMT"));
        } else {
            items.add(new Item(
                    "GC structures",
                    (long) (heap * gcShare(collector)),
                    collector.displayName() + " estimate, " + fmt(gcShare(collector) * 100) + " % of heap"));
        }
        long other = 0;
        for (Map.Entry<String, Long> category : nmt.entrySet()) {
            // Heap, metaspace, code, threads and GC are above; "Other" holds direct buffers, counted above too.
            if (!List.of("Java Heap", "Class", "Thread", "Code", "GC", "Other", "Metaspace")
                    .contains(category.getKey())) {
                other += category.getValue();
            }
        }
        items.add(
                nmt.isEmpty()
                        ? new Item("other native", OTHER_NATIVE, "estimate: JIT, symbols, class data, malloc")
                        : new Item("other native", other, "NMT: compiler, symbols, internal, arenas, ..."));
        long limit;
        String source;
        double cgroupLimit = containerLimit();
        if (Double.isFinite(cgroupLimit)) {
            limit = (long) cgroupLimit;
            source = "cgroup memory limit";
        } else {
            limit = physicalMemory();
            source = "physical memory (no container limit)";
        }
        return assemble(limit, source, items, notes, recommend(limit, Math.max(threads, 50)));
    }

    private static MemoryBudget assemble(
            long limit, String source, List<Item> items, List<String> notes, List<String> flags) {
        long total = items.stream().mapToLong(Item::bytes).sum();
        Verdict verdict = total <= limit * 0.9 ? Verdict.FITS : total <= limit ? Verdict.TIGHT : Verdict.OVER;
        return new MemoryBudget(limit, source, items, total, verdict, notes, flags);
    }

    /**
     * Flags that fit a JVM into {@code container}: caps on everything off-heap sized to the container, the heap
     * taking what is left less 10 % headroom, and the JVM told to exit and dump on OutOfMemoryError.
     */
    static List<String> recommend(long container, int threads) {
        Caps caps = Caps.of(container, threads);
        int percentage = (int) Math.max(1, Math.floor(100.0 * caps.heap / container));
        return List.of(
                "-XX:MaxRAMPercentage=" + percentage,
                "-XX:MaxMetaspaceSize=" + caps.metaspace / MB + "m",
                "-XX:ReservedCodeCacheSize=" + caps.codeCache / MB + "m",
                "-XX:MaxDirectMemorySize=" + caps.direct / MB + "m",
                "-Xss" + caps.stack / 1024 + "k",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=/tmp/heapdumps");
    }

    /** Off-heap caps scaled to the container, and the heap that is left. */
    private record Caps(long heap, long metaspace, long codeCache, long direct, long stack) {
        static Caps of(long container, int threads) {
            long metaspace = clamp(container / 8, 48 * MB, 256 * MB);
            long codeCache = clamp(container * 6 / 100, 24 * MB, 240 * MB);
            long direct = clamp(container / 10, 16 * MB, 1024 * MB);
            // Small containers cannot afford 1 MB per thread; 256 KiB suits all but deeply recursive code.
            long stack = container <= 256 * MB ? 256 * 1024 : container <= 512 * MB ? 512 * 1024 : MB;
            long nonHeap = metaspace + codeCache + direct + threads * stack + OTHER_NATIVE;
            long heap = (long) ((container * 0.9 - nonHeap) / (1 + gcShare(GcAlgorithm.G1)));
            return new Caps(Math.max(heap, 0), metaspace, codeCache, direct, stack);
        }
    }

    /**
     * Bounds for the primitives per instance size (256 MB to 4 GB containers, with the recommended flags): caches
     * 10 % of the heap; queues 2 % of the heap in 1 KiB elements; SSE clients at 64 KiB of buffers each, 10 % of
     * the heap; ring buffers 1 % of the heap in 256-byte elements.
     */
    public static List<PrimitiveLimits> suggestedLimits() {
        List<PrimitiveLimits> limits = new ArrayList<>();
        for (long size : List.of(256 * MB, 512 * MB, 1024 * MB, 2048 * MB, 4096 * MB)) {
            long heap = Caps.of(size, 100).heap;
            limits.add(new PrimitiveLimits(
                    size,
                    heap,
                    heap / 10,
                    (int) (heap / 50 / 1024),
                    (int) Math.min(100_000, heap / 10 / (64 * 1024)),
                    (int) (heap / 100 / 256)));
        }
        return limits;
    }

    /** A table for a person. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "memory budget against %s of %s: %s (%s, %.0f %%)%n",
                limitSource,
                Format.wholeBytes(limit),
                verdict,
                Format.wholeBytes(total),
                100.0 * total / limit));
        for (Item item : items) {
            out.append(String.format(
                    Locale.ROOT, "  %-14s %10s  %s%n", item.name(), Format.wholeBytes(item.bytes()), item.basis()));
        }
        notes.forEach(n -> out.append("  note: ").append(n).append(System.lineSeparator()));
        out.append("  recommended: ").append(String.join(" ", recommendedFlags)).append(System.lineSeparator());
        return out.toString();
    }

    private static final Pattern NMT_CATEGORY =
            Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);

    /** Committed bytes per NMT category, parsed from {@code VM.native_memory summary}. */
    static Map<String, Long> parseNmtSummary(String summary) {
        Map<String, Long> categories = new LinkedHashMap<>();
        Matcher m = NMT_CATEGORY.matcher(summary);
        while (m.find()) {
            categories.put(m.group(1).trim(), Long.parseLong(m.group(3)) * 1024);
        }
        return categories;
    }

    private static Map<String, Long> nativeMemoryTracking(HotSpotDiagnosticMXBean hotspot) {
        String level = hotspot.getVMOption("NativeMemoryTracking").getValue();
        if (level.equals("off")) {
            return Map.of();
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object out = server.invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory",
                    new Object[] {new String[] {"summary"}},
                    new String[] {String[].class.getName()});
            return out instanceof String text ? parseNmtSummary(text) : Map.of();
        } catch (Exception e) {
            return Map.of();
        }
    }

    /**
     * A numeric VM option; -1 when absent. Options print unsigned, and an unset maximum is 2^64 - 1, which is read
     * as {@code Long.MAX_VALUE}.
     */
    private static long option(HotSpotDiagnosticMXBean hotspot, String name) {
        try {
            long parsed = Long.parseUnsignedLong(hotspot.getVMOption(name).getValue());
            return parsed < 0 ? Long.MAX_VALUE : parsed;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Set by whoever started the JVM, not by its defaults or ergonomics. */
    private static boolean isExplicit(VMOption option) {
        return switch (option.getOrigin()) {
            case VM_CREATION, ENVIRON_VAR, CONFIG_FILE, MANAGEMENT -> true;
            default -> false;
        };
    }

    private static long poolCommitted(String pool) {
        for (MemoryPoolMXBean bean : ManagementFactory.getMemoryPoolMXBeans()) {
            if (bean.getName().equals(pool)) {
                return bean.getUsage().getCommitted();
            }
        }
        return 0;
    }

    private static long codeCacheCommitted() {
        long total = 0;
        for (MemoryPoolMXBean bean : ManagementFactory.getMemoryPoolMXBeans()) {
            if (MemorySampler.isCodeCache(bean.getName())) {
                total += bean.getUsage().getCommitted();
            }
        }
        return total;
    }

    private static GcAlgorithm runningCollector() {
        return GcAlgorithm.running(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList());
    }

    static double gcShare(GcAlgorithm collector) {
        return switch (collector) {
            case ZGC, SHENANDOAH -> 0.04;
            case PARALLEL -> 0.03;
            case SERIAL -> 0.02;
            case G1 -> 0.06;
        };
    }

    private static double containerLimit() {
        try (MemorySampler sampler = MemorySampler.create(InstantSource.system(), null)) {
            SampleBuffer buffer = sampler.newBuffer();
            sampler.sample(buffer);
            return buffer.get(Metric.CONTAINER_LIMIT);
        }
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspotOs) {
            return hotspotOs.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
