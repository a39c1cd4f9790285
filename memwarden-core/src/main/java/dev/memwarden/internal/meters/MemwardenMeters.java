package dev.memwarden.internal.meters;

import dev.memwarden.Memwarden;
import dev.memwarden.bounded.Tracked;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.MemorySnapshot;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Every meter memwarden exports, defined once: the server's Prometheus {@code /metrics} and the Micrometer binder
 * both read this table. What the JVM's own binders give ({@code jvm_memory_*}, {@code jvm_threads_*}) is not repeated
 * under other names, except where memwarden measures it differently. A name is given without its unit, in words
 * joined by {@code _}; each exporter adds the unit its own way ({@code memwarden_live_set_bytes}). A level is 0 for
 * OK, 1 for WARN, 2 for CRITICAL; a verdict 0 for NONE, 1 for SUSPECTED, 2 for CONFIRMED. A limit that does not
 * exist and a time that never comes are {@code +Inf}, so that a rule such as {@code < 3600} reads right.
 */
public final class MemwardenMeters {
    /** Whether a meter's value goes up and down, or only up. */
    public enum Type {
        GAUGE,
        COUNTER
    }

    /** One consistent look at memwarden, taken once per scrape and read by every meter. */
    public record State(
            MemorySnapshot snapshot, HealthStatus health, LeakReport leaks, List<Tracked.State> structures) {
        public static State of(Memwarden memwarden) {
            return new State(
                    memwarden.snapshot(),
                    memwarden.health(),
                    memwarden.leakReport(),
                    memwarden.resources().resources());
        }
    }

    /** Takes a meter's series: the values of its tags, in the order of its {@link Meter#tags}, and the value. */
    @FunctionalInterface
    public interface Series {
        void value(double value, String... tagValues);
    }

    /**
     * One meter.
     *
     * @param unit {@code bytes}, {@code seconds} or {@code ratio}; null for a count
     * @param read writes the meter's series at a state: none where it is unknown, one per tag set otherwise
     */
    public record Meter(
            String name,
            String description,
            @Nullable String unit,
            Type type,
            List<String> tags,
            BiConsumer<State, Series> read) {}

    public static final List<Meter> ALL = List.of(
            bytes("memwarden_live_set", "Heap in use after the last collection: the live set", s -> s.snapshot()
                    .liveSet()),
            bytes(
                    "memwarden_heap_used",
                    "Heap in use",
                    s -> OptionalLong.of(s.snapshot().heap().used())),
            bytes(
                    "memwarden_heap_committed",
                    "Heap committed by the JVM",
                    s -> OptionalLong.of(s.snapshot().heap().committed())),
            bytes(
                    "memwarden_heap_max",
                    "The heap's maximum",
                    s -> s.snapshot().heap().max().value()),
            new Meter(
                    "memwarden_pool_used_after_gc",
                    "A memory pool's use after its last collection",
                    "bytes",
                    Type.GAUGE,
                    List.of("pool"),
                    (s, series) -> {
                        for (MemorySnapshot.Pool pool : s.snapshot().pools()) {
                            pool.usedAfterLastGc().ifPresent(used -> series.value((double) used, pool.name()));
                        }
                    }),
            bytes("memwarden_process_resident", "The process's resident set (RSS)", s -> s.snapshot()
                    .process()
                    .rss()),
            bytes("memwarden_native", "Resident memory outside the committed heap: RSS minus committed heap", s -> {
                OptionalLong rss = s.snapshot().process().rss();
                return rss.isPresent()
                        ? OptionalLong.of(Math.max(
                                0, rss.getAsLong() - s.snapshot().heap().committed()))
                        : OptionalLong.empty();
            }),
            new Meter(
                    "memwarden_container_limit",
                    "The container's memory limit; +Inf where there is none",
                    "bytes",
                    Type.GAUGE,
                    List.of(),
                    (s, series) -> series.value(orInfinity(
                            s.snapshot().container().map(c -> c.limit().value()).orElse(OptionalLong.empty())))),
            bytes("memwarden_container_used", "The container's memory in use, page cache included", s -> s.snapshot()
                    .container()
                    .map(c -> OptionalLong.of(c.used()))
                    .orElse(OptionalLong.empty())),
            bytes(
                    "memwarden_direct_buffers_used",
                    "Direct buffer memory in use",
                    s -> OptionalLong.of(s.snapshot().direct().used())),
            bytes("memwarden_direct_buffers_max", "Direct buffer memory's maximum", s -> s.snapshot()
                    .maxDirectMemory()
                    .value()),
            bytes(
                    "memwarden_mapped_buffers_used",
                    "Mapped buffer memory in use",
                    s -> OptionalLong.of(s.snapshot().mapped().used())),
            bytes("memwarden_metaspace_used", "Metaspace in use", s -> s.snapshot()
                    .metaspace()
                    .map(m -> OptionalLong.of(m.used()))
                    .orElse(OptionalLong.empty())),
            count(
                    "memwarden_threads",
                    "Live threads",
                    s -> OptionalLong.of(s.snapshot().threads().live())),
            count(
                    "memwarden_classes_loaded",
                    "Classes loaded now",
                    s -> OptionalLong.of(s.snapshot().loadedClasses())),
            count("memwarden_open_file_descriptors", "Open file descriptors", s -> s.snapshot()
                    .openFileDescriptors()),
            count("memwarden_max_file_descriptors", "The file descriptor limit", s -> s.snapshot()
                    .maxFileDescriptors()),
            single("memwarden_gc_overhead", "Share of wall time spent in GC pauses", "ratio", s -> s.snapshot()
                    .gcOverhead()),
            single(
                    "memwarden_health_level",
                    "The overall health level: 0 OK, 1 WARN, 2 CRITICAL",
                    null,
                    s -> level(s.health().level())),
            new Meter(
                    "memwarden_health_rule_level",
                    "Each health rule's level: 0 OK, 1 WARN, 2 CRITICAL",
                    null,
                    Type.GAUGE,
                    List.of("rule"),
                    (s, series) -> {
                        for (HealthStatus.RuleStatus rule : s.health().rules()) {
                            series.value(level(rule.level()), rule.rule());
                        }
                    }),
            single(
                    "memwarden_leak_verdict",
                    "The leak verdict: 0 NONE, 1 SUSPECTED, 2 CONFIRMED",
                    null,
                    s -> verdict(s.leaks().verdict())),
            single("memwarden_leak_confidence", "Confidence in the leak verdict", "ratio", s -> s.leaks()
                    .confidence()),
            single(
                    "memwarden_live_set_growth_bytes_per_second",
                    "How fast the live set grows over the leak window",
                    null,
                    s -> s.leaks().liveSet().growthBytesPerHour() / 3600),
            single(
                    "memwarden_time_to_heap_exhaustion",
                    "Projected time until the live set fills the heap at its growth; +Inf when it does not grow",
                    "seconds",
                    s -> orInfinity(s.leaks().liveSet().timeToExhaustionSeconds())),
            single(
                    "memwarden_time_to_container_limit",
                    "Projected time until the process reaches the container's limit; +Inf when it never does",
                    "seconds",
                    s -> orInfinity(s.leaks().liveSet().timeToContainerLimitSeconds())),
            new Meter(
                    "memwarden_structure_size",
                    "Elements a registered structure holds",
                    null,
                    Type.GAUGE,
                    List.of("name"),
                    (s, series) -> s.structures().forEach(r -> series.value((double) r.size(), r.name()))),
            new Meter(
                    "memwarden_structure_capacity",
                    "A registered structure's bound",
                    null,
                    Type.GAUGE,
                    List.of("name"),
                    (s, series) -> s.structures()
                            .forEach(r -> r.capacity().ifPresent(c -> series.value((double) c, r.name())))),
            new Meter(
                    "memwarden_structure_events",
                    "What a registered structure dropped, evicted or refused",
                    null,
                    Type.COUNTER,
                    List.of("name", "event"),
                    (s, series) -> {
                        for (Tracked.State r : s.structures()) {
                            for (Map.Entry<String, Long> counter : r.counters().entrySet()) {
                                series.value((double) counter.getValue(), r.name(), counter.getKey());
                            }
                        }
                    }));

    private MemwardenMeters() {}

    /** A gauge of bytes without tags, absent while unknown. */
    private static Meter bytes(
            String name, String description, java.util.function.Function<State, OptionalLong> value) {
        return optional(name, description, "bytes", value);
    }

    /** A count without tags, absent while unknown. */
    private static Meter count(
            String name, String description, java.util.function.Function<State, OptionalLong> value) {
        return optional(name, description, null, value);
    }

    private static Meter optional(
            String name,
            String description,
            @Nullable String unit,
            java.util.function.Function<State, OptionalLong> value) {
        return new Meter(name, description, unit, Type.GAUGE, List.of(), (s, series) -> {
            OptionalLong v = value.apply(s);
            if (v.isPresent()) {
                series.value((double) v.getAsLong());
            }
        });
    }

    private static Meter single(
            String name, String description, @Nullable String unit, java.util.function.ToDoubleFunction<State> value) {
        return new Meter(
                name, description, unit, Type.GAUGE, List.of(), (s, series) -> series.value(value.applyAsDouble(s)));
    }

    private static double orInfinity(OptionalLong value) {
        return value.isPresent() ? (double) value.getAsLong() : Double.POSITIVE_INFINITY;
    }

    private static double orInfinity(@Nullable Long value) {
        return value == null ? Double.POSITIVE_INFINITY : (double) value;
    }

    private static int level(Level level) {
        return switch (level) {
            case OK -> 0;
            case WARN -> 1;
            case CRITICAL -> 2;
        };
    }

    private static int verdict(LeakReport.Verdict verdict) {
        return switch (verdict) {
            case NONE -> 0;
            case SUSPECTED -> 1;
            case CONFIRMED -> 2;
        };
    }
}
