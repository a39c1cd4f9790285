package dev.memwarden.internal;

import java.util.List;
import java.util.Optional;

/**
 * The one place that knows HotSpot's collectors: their flags and the names their GarbageCollectorMXBeans carry
 * ({@code G1 Young Generation}, {@code PS MarkSweep}, {@code Copy}, {@code ZGC Major Cycles}, {@code Shenandoah
 * Pauses}, ...).
 */
public enum GcAlgorithm {
    G1("G1", "-XX:+UseG1GC"),
    PARALLEL("Parallel", "-XX:+UseParallelGC"),
    SERIAL("Serial", "-XX:+UseSerialGC"),
    ZGC("ZGC", "-XX:+UseZGC"),
    SHENANDOAH("Shenandoah", "-XX:+UseShenandoahGC");

    private final String displayName;
    private final String flag;

    GcAlgorithm(String displayName, String flag) {
        this.displayName = displayName;
        this.flag = flag;
    }

    public String displayName() {
        return displayName;
    }

    /** The option that selects it. */
    public String flag() {
        return flag;
    }

    /** Whether a collection leaves the live set over the whole heap, with no old generation of its own to read. */
    public boolean collectsTheWholeHeap() {
        return this == ZGC || this == SHENANDOAH;
    }

    /** The collector a JVM option selects, if it selects one. */
    public static Optional<GcAlgorithm> ofFlag(String option) {
        for (GcAlgorithm gc : values()) {
            if (gc.flag.equals(option)) {
                return Optional.of(gc);
            }
        }
        return Optional.empty();
    }

    /** The collector a GarbageCollectorMXBean belongs to, by its name. */
    public static Optional<GcAlgorithm> ofBean(String beanName) {
        if (beanName.startsWith("G1")) {
            return Optional.of(G1);
        } else if (beanName.startsWith("ZGC")) {
            return Optional.of(ZGC);
        } else if (beanName.startsWith("Shenandoah")) {
            return Optional.of(SHENANDOAH);
        } else if (beanName.startsWith("PS")) {
            return Optional.of(PARALLEL);
        } else if (beanName.equals("Copy") || beanName.equals("MarkSweepCompact")) {
            return Optional.of(SERIAL);
        }
        return Optional.empty();
    }

    /** The collector these beans belong to; G1, the server default, where none is known. */
    public static GcAlgorithm running(List<String> beanNames) {
        return beanNames.stream()
                .map(GcAlgorithm::ofBean)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(G1);
    }

    /** Whether a bean collects only the young generation ({@code G1 Young}, {@code PS Scavenge}, {@code Copy}). */
    public static boolean youngOnly(String beanName) {
        return beanName.contains("Minor")
                || beanName.contains("Young")
                || beanName.contains("Scavenge")
                || beanName.equals("Copy");
    }

    /** Whether a bean is generational ZGC's (JDK 21 on), whose beans are {@code ZGC Major/Minor ...}. */
    public static boolean generationalZgc(String beanName) {
        return beanName.startsWith("ZGC Major") || beanName.startsWith("ZGC Minor");
    }
}
