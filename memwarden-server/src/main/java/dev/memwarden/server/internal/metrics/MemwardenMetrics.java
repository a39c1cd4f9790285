package dev.memwarden.server.internal.metrics;

import dev.memwarden.Memwarden;
import dev.memwarden.bounded.Tracked;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.MemorySnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * memwarden's meters, read from a running {@link Memwarden} at each scrape: what the JVM's own binders give
 * (jvm_memory_*, jvm_threads_*) is not repeated, except where memwarden measures it differently. All names start with
 * {@code memwarden_}; a name given here gets its unit appended ({@code memwarden_live_set_bytes}), a counter
 * {@code _total}. A level is 0 for OK, 1 for WARN, 2 for
 * CRITICAL; a verdict 0 for NONE, 1 for SUSPECTED, 2 for CONFIRMED.
 */
public final class MemwardenMetrics {
    private final Memwarden memwarden;

    public MemwardenMetrics(Memwarden memwarden) {
        this.memwarden = memwarden;
    }

    public MetricSnapshots collect() {
        MemorySnapshot s = memwarden.snapshot();
        List<MetricSnapshot> metrics = new ArrayList<>(48);
        memory(metrics, s);
        health(metrics, memwarden.health());
        leaks(metrics, memwarden.leakReport());
        structures(metrics, memwarden.resources().resources());
        return new MetricSnapshots(metrics);
    }

    private static void memory(List<MetricSnapshot> metrics, MemorySnapshot s) {
        gauge(
                metrics,
                "memwarden_live_set",
                "Heap in use after the last collection: the live set",
                Unit.BYTES,
                s.liveSet());
        gauge(
                metrics,
                "memwarden_heap_used",
                "Heap in use",
                Unit.BYTES,
                s.heap().used());
        gauge(
                metrics,
                "memwarden_heap_committed",
                "Heap committed by the JVM",
                Unit.BYTES,
                s.heap().committed());
        gauge(
                metrics,
                "memwarden_heap_max",
                "The heap's maximum",
                Unit.BYTES,
                s.heap().max().value());
        GaugeSnapshot.Builder afterGc =
                gaugeFamily("memwarden_pool_used_after_gc", "A heap pool's use after its last collection", Unit.BYTES);
        for (MemorySnapshot.Pool pool : s.pools()) {
            if (pool.usedAfterLastGc().isPresent()) {
                afterGc.dataPoint(point(pool.usedAfterLastGc().getAsLong(), "pool", pool.name()));
            }
        }
        metrics.add(afterGc.build());
        gauge(
                metrics,
                "memwarden_process_resident",
                "The process's resident set (RSS)",
                Unit.BYTES,
                s.process().rss());
        OptionalLong rss = s.process().rss();
        gauge(
                metrics,
                "memwarden_native",
                "Resident memory outside the committed heap: RSS minus committed heap",
                Unit.BYTES,
                rss.isPresent()
                        ? OptionalLong.of(Math.max(0, rss.getAsLong() - s.heap().committed()))
                        : OptionalLong.empty());
        OptionalLong limit = s.container().map(c -> c.limit().value()).orElse(OptionalLong.empty());
        metrics.add(gaugeFamily(
                        "memwarden_container_limit",
                        "The container's memory limit; +Inf where there is none",
                        Unit.BYTES)
                .dataPoint(point(limit.isPresent() ? (double) limit.getAsLong() : Double.POSITIVE_INFINITY))
                .build());
        s.container()
                .ifPresent(c -> gauge(
                        metrics,
                        "memwarden_container_used",
                        "The container's memory in use, page cache included",
                        Unit.BYTES,
                        c.used()));
        gauge(
                metrics,
                "memwarden_direct_buffers_used",
                "Direct buffer memory in use",
                Unit.BYTES,
                s.direct().used());
        gauge(
                metrics,
                "memwarden_direct_buffers_max",
                "Direct buffer memory's maximum",
                Unit.BYTES,
                s.maxDirectMemory().value());
        gauge(
                metrics,
                "memwarden_mapped_buffers_used",
                "Mapped buffer memory in use",
                Unit.BYTES,
                s.mapped().used());
        s.metaspace()
                .ifPresent(m -> gauge(metrics, "memwarden_metaspace_used", "Metaspace in use", Unit.BYTES, m.used()));
        gauge(metrics, "memwarden_threads", "Live threads", null, s.threads().live());
        gauge(metrics, "memwarden_classes_loaded", "Classes loaded now", null, s.loadedClasses());
        gauge(metrics, "memwarden_open_file_descriptors", "Open file descriptors", null, s.openFileDescriptors());
        gauge(metrics, "memwarden_max_file_descriptors", "The file descriptor limit", null, s.maxFileDescriptors());
        metrics.add(gaugeFamily("memwarden_gc_overhead", "Share of wall time spent in GC pauses", Unit.RATIO)
                .dataPoint(point(s.gcOverhead()))
                .build());
    }

    private static void health(List<MetricSnapshot> metrics, HealthStatus status) {
        metrics.add(gaugeFamily("memwarden_health_level", "The overall health level: 0 OK, 1 WARN, 2 CRITICAL", null)
                .dataPoint(point(level(status.level())))
                .build());
        GaugeSnapshot.Builder rules =
                gaugeFamily("memwarden_health_rule_level", "Each health rule's level: 0 OK, 1 WARN, 2 CRITICAL", null);
        for (HealthStatus.RuleStatus rule : status.rules()) {
            rules.dataPoint(point(level(rule.level()), "rule", rule.rule()));
        }
        metrics.add(rules.build());
    }

    private static void leaks(List<MetricSnapshot> metrics, LeakReport report) {
        metrics.add(gaugeFamily("memwarden_leak_verdict", "The leak verdict: 0 NONE, 1 SUSPECTED, 2 CONFIRMED", null)
                .dataPoint(point(verdict(report.verdict())))
                .build());
        metrics.add(gaugeFamily("memwarden_leak_confidence", "Confidence in the leak verdict", Unit.RATIO)
                .dataPoint(point(report.confidence()))
                .build());
        LeakReport.LiveSet live = report.liveSet();
        metrics.add(gaugeFamily(
                        "memwarden_live_set_growth_bytes_per_second",
                        "How fast the live set grows over the leak window",
                        null)
                .dataPoint(point(live.growthBytesPerHour() / 3600))
                .build());
        seconds(
                metrics,
                "memwarden_time_to_heap_exhaustion",
                "Projected time until the live set fills the heap, at its growth",
                live.timeToExhaustionSeconds());
        seconds(
                metrics,
                "memwarden_time_to_container_limit",
                "Projected time until the process reaches the container's limit",
                live.timeToContainerLimitSeconds());
    }

    private static void structures(List<MetricSnapshot> metrics, List<Tracked.State> structures) {
        GaugeSnapshot.Builder size = gaugeFamily("memwarden_structure_size", "Elements a structure holds", null);
        GaugeSnapshot.Builder capacity = gaugeFamily("memwarden_structure_capacity", "A structure's bound", null);
        CounterSnapshot.Builder events = CounterSnapshot.builder()
                .name("memwarden_structure_events")
                .help("What a structure dropped, evicted or refused");
        for (Tracked.State s : structures) {
            size.dataPoint(point(s.size(), "name", s.name()));
            if (s.capacity().isPresent()) {
                capacity.dataPoint(point(s.capacity().getAsLong(), "name", s.name()));
            }
            for (Map.Entry<String, Long> counter : s.counters().entrySet()) {
                events.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .value((double) counter.getValue())
                        .labels(Labels.of("name", s.name(), "event", counter.getKey()))
                        .build());
            }
        }
        metrics.add(size.build());
        metrics.add(capacity.build());
        metrics.add(events.build());
    }

    /** A projection in seconds: +Inf when nothing grows towards the limit, so that {@code < 3600} reads right. */
    private static void seconds(List<MetricSnapshot> metrics, String name, String help, @Nullable Long seconds) {
        metrics.add(gaugeFamily(name, help, Unit.SECONDS)
                .dataPoint(point(seconds == null ? Double.POSITIVE_INFINITY : (double) seconds))
                .build());
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

    private static void gauge(List<MetricSnapshot> metrics, String name, String help, @Nullable Unit unit, long value) {
        metrics.add(gaugeFamily(name, help, unit).dataPoint(point(value)).build());
    }

    private static void gauge(
            List<MetricSnapshot> metrics, String name, String help, @Nullable Unit unit, OptionalLong value) {
        GaugeSnapshot.Builder gauge = gaugeFamily(name, help, unit);
        if (value.isPresent()) {
            gauge.dataPoint(point(value.getAsLong()));
        }
        metrics.add(gauge.build());
    }

    private static GaugeSnapshot.Builder gaugeFamily(String name, String help, @Nullable Unit unit) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().help(help);
        return unit == null ? gauge.name(name) : gauge.name(name + "_" + unit).unit(unit);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(long value, String... labels) {
        return point((double) value, labels);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .value(value)
                .labels(labels.length == 0 ? Labels.EMPTY : Labels.of(labels))
                .build();
    }
}
