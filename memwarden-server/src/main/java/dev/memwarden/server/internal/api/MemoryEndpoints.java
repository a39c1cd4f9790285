package dev.memwarden.server.internal.api;

import dev.memwarden.Memwarden;
import dev.memwarden.bounded.Tracked;
import dev.memwarden.budget.MemoryBudget;
import dev.memwarden.dump.HeapDumps;
import dev.memwarden.internal.Json;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.server.internal.http.AdminGuard;
import dev.memwarden.server.internal.http.ApiException;
import dev.memwarden.server.internal.http.Request;
import dev.memwarden.server.internal.http.Response;
import dev.memwarden.server.internal.http.Router;
import dev.memwarden.telemetry.GcEvent;
import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import dev.memwarden.telemetry.Timeline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /api/monitoring/memory/*}: what memwarden sees, read-only for anyone who can reach the port; what changes
 * state or reveals the heap (a collection, a leak check, a heap dump) for the admin only.
 */
public final class MemoryEndpoints implements AutoCloseable {
    static final String BASE = "/api/monitoring/memory";
    /** The least time between two collections an operator asks for. */
    static final Duration GC_INTERVAL = Duration.ofSeconds(30);
    /** The longest history one request may ask for: the coarsest tier's default span. */
    static final Duration MAX_RANGE = Duration.ofDays(7);

    private final Memwarden memwarden;
    private final HeapDumps dumps;
    private final DumpAnalyses analyses;
    private final InstantSource clock;
    private long lastGcMillis = Long.MIN_VALUE;

    public MemoryEndpoints(Memwarden memwarden, HeapDumps dumps, InstantSource clock) {
        this.memwarden = memwarden;
        this.dumps = dumps;
        this.analyses = new DumpAnalyses(dumps);
        this.clock = clock;
    }

    public void addTo(Router router, AdminGuard guard) {
        router.get(BASE + "/stats", request -> Response.ok(stats()))
                .get(
                        BASE + "/health",
                        request -> Response.ok(Json.write(json -> JsonViews.health(json, memwarden.health()))))
                .get(BASE + "/heap-statistics", request -> Response.ok(heapStatistics()))
                .get(
                        BASE + "/leaks",
                        request -> Response.ok(memwarden.leakReport().toJson()))
                .get(BASE + "/leaks/history", request -> Response.ok(leakHistory()))
                .get(BASE + "/process-info", request -> Response.ok(processInfo()))
                .get(BASE + "/resources", request -> Response.ok(resources()))
                .get(BASE + "/gc-events", request -> Response.ok(gcEvents()))
                .get(BASE + "/history", this::history)
                .get(
                        BASE + "/budget",
                        request -> Response.ok(Json.write(json -> JsonViews.budget(json, MemoryBudget.ofRunningJvm()))))
                .get(BASE + "/dumps", request -> Response.ok(dumpList()))
                .get(BASE + "/dumps/{name}/analysis", analyses::analysis)
                .post(BASE + "/dumps/{name}/analyze", guard.admin(analyses::analyze))
                .post(BASE + "/gc", guard.admin(request -> collect()))
                .post(
                        BASE + "/leaks/check",
                        guard.admin(
                                request -> Response.ok(memwarden.checkLeaks().toJson())))
                .post(BASE + "/leaks/snapshot", guard.admin(request -> snapshot()))
                .post(BASE + "/leaks/clear-history", guard.admin(request -> clearHistory()))
                .post(BASE + "/leaks/configure", guard.admin(this::configure));
    }

    /** Ends what outlives a request: a dump analysis under way. */
    @Override
    public void close() {
        analyses.close();
    }

    /** The stats, also the stream's {@code snapshot} event. */
    String stats() {
        MemorySnapshot s = memwarden.snapshot();
        LeakReport leaks = memwarden.leakReport();
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("takenAt", s.takenAt().toString());
            json.writeNumberField("uptimeSeconds", s.uptime().toSeconds());
            json.writeStringField("health", memwarden.health().level().name());
            json.writeStringField("leakVerdict", leaks.verdict().name());
            JsonViews.usage(json, "heap", s.heap());
            JsonViews.optional(json, "liveSet", s.liveSet());
            JsonViews.usage(json, "nonHeap", s.nonHeap());
            json.writeFieldName("metaspace");
            if (s.metaspace().isPresent()) {
                JsonViews.pool(json, s.metaspace().get());
            } else {
                json.writeNull();
            }
            JsonViews.bufferPool(json, "direct", s.direct());
            JsonViews.limit(json, "maxDirectMemory", s.maxDirectMemory());
            JsonViews.bufferPool(json, "mapped", s.mapped());
            JsonViews.process(json, s.process());
            JsonViews.container(json, s.container());
            JsonViews.threads(json, s.threads());
            json.writeNumberField("classesLoaded", s.loadedClasses());
            JsonViews.optional(json, "openFileDescriptors", s.openFileDescriptors());
            JsonViews.optional(json, "maxFileDescriptors", s.maxFileDescriptors());
            Json.numberField(json, "gcOverhead", s.gcOverhead());
            JsonViews.optional(json, "allocationBytesPerSecond", s.allocationRate());
            json.writeEndObject();
        });
    }

    private String heapStatistics() {
        MemorySnapshot s = memwarden.snapshot();
        return Json.write(json -> {
            json.writeStartObject();
            JsonViews.usage(json, "heap", s.heap());
            JsonViews.usage(json, "nonHeap", s.nonHeap());
            json.writeArrayFieldStart("pools");
            for (MemorySnapshot.Pool pool : s.pools()) {
                JsonViews.pool(json, pool);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("bufferPools");
            JsonViews.bufferPool(json, "direct", s.direct());
            JsonViews.bufferPool(json, "mapped", s.mapped());
            json.writeEndObject();
            json.writeArrayFieldStart("collectors");
            for (MemorySnapshot.Collector collector : s.collectors()) {
                JsonViews.collector(json, collector);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private String leakHistory() {
        List<LeakReport> history = memwarden.leakHistory();
        return Json.write(json -> {
            json.writeStartArray();
            for (LeakReport report : history) {
                json.writeRawValue(report.toJson());
            }
            json.writeEndArray();
        });
    }

    /** The process, without its command line: arguments carry secrets as often as not. */
    private String processInfo() {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        MemorySnapshot s = memwarden.snapshot();
        return Json.write(json -> {
            json.writeStartObject();
            json.writeNumberField("pid", ProcessHandle.current().pid());
            json.writeStringField("vmName", runtime.getVmName());
            json.writeStringField("vmVendor", runtime.getVmVendor());
            json.writeStringField("javaVersion", System.getProperty("java.version"));
            json.writeStringField(
                    "startedAt",
                    java.time.Instant.ofEpochMilli(runtime.getStartTime()).toString());
            json.writeNumberField("uptimeSeconds", s.uptime().toSeconds());
            json.writeNumberField("availableProcessors", Runtime.getRuntime().availableProcessors());
            JsonViews.strings(
                    json,
                    "collectors",
                    s.collectors().stream().map(MemorySnapshot.Collector::name).toList());
            JsonViews.usage(json, "heap", s.heap());
            JsonViews.process(json, s.process());
            JsonViews.container(json, s.container());
            JsonViews.optional(json, "openFileDescriptors", s.openFileDescriptors());
            JsonViews.optional(json, "maxFileDescriptors", s.maxFileDescriptors());
            json.writeEndObject();
        });
    }

    private String resources() {
        List<Tracked.State> resources = memwarden.resources().resources();
        return Json.write(json -> {
            json.writeStartArray();
            for (Tracked.State resource : resources) {
                JsonViews.resource(json, resource);
            }
            json.writeEndArray();
        });
    }

    private String gcEvents() {
        List<GcEvent> events = memwarden.gcEvents();
        return Json.write(json -> {
            json.writeStartArray();
            for (GcEvent event : events) {
                JsonViews.gcEvent(json, event);
            }
            json.writeEndArray();
        });
    }

    /** {@code ?metric=live.set&range=6h}: the metric's history from the tier that covers the range. */
    private Response history(Request request) {
        String key = request.query().get("metric");
        Metric metric = Arrays.stream(Metric.values())
                .filter(m -> m.key().equals(key))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest((key == null ? "metric is required" : "no metric " + key)
                        + "; metrics: "
                        + Timeline.metrics().stream().map(Metric::key).collect(Collectors.joining(", "))));
        Duration range = Ranges.parse(request.query().getOrDefault("range", "10m"), MAX_RANGE);
        Timeline.Series series = memwarden.timeline().latest(metric, range);
        return Response.ok(Json.write(json -> JsonViews.series(json, series)));
    }

    /** The heap dumps in the dump directory, by name: never a path, never anything outside it. */
    private String dumpList() throws IOException {
        List<Path> files = dumps.dumps();
        return Json.write(json -> {
            json.writeStartArray();
            for (Path file : files) {
                json.writeStartObject();
                json.writeStringField("name", file.getFileName().toString());
                json.writeNumberField("bytes", Files.size(file));
                json.writeStringField(
                        "modifiedAt",
                        Files.getLastModifiedTime(file).toInstant().toString());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** A full collection, at most one per {@link #GC_INTERVAL}: the heap after it is the live set. */
    private Response collect() {
        synchronized (this) {
            long now = clock.millis();
            if (lastGcMillis != Long.MIN_VALUE && now - lastGcMillis < GC_INTERVAL.toMillis()) {
                long wait = (GC_INTERVAL.toMillis() - (now - lastGcMillis) + 999) / 1000;
                throw new ApiException(
                        429,
                        "too_many_requests",
                        "one collection per " + GC_INTERVAL.toSeconds() + " s; try again in " + wait + " s");
            }
            lastGcMillis = now;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = memory.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        memory.gc();
        long took = System.nanoTime() - start;
        long after = memory.getHeapMemoryUsage().getUsed();
        return Response.ok(Json.write(json -> {
            json.writeStartObject();
            json.writeNumberField("heapUsedBefore", before);
            json.writeNumberField("heapUsedAfter", after);
            json.writeNumberField("freed", Math.max(0, before - after));
            json.writeNumberField("tookMillis", took / 1_000_000);
            json.writeEndObject();
        }));
    }

    /**
     * {@code {"memwarden.leak.interval": "30s"}}: changes leak settings while running; answers every reconfigurable
     * setting in force. Refuses anything but an object of text values over the reconfigurable keys.
     */
    private Response configure(Request request) {
        Map<String, String> settings = LeakSettingsJson.read(request.body());
        Map<String, String> now;
        try {
            now = memwarden.configureLeaks(settings);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(String.valueOf(e.getMessage()));
        }
        return Response.ok(Json.write(json -> {
            json.writeStartObject();
            for (Map.Entry<String, String> setting : now.entrySet()) {
                json.writeStringField(setting.getKey(), setting.getValue());
            }
            json.writeEndObject();
        }));
    }

    private Response clearHistory() {
        int cleared = memwarden.leakHistory().size();
        memwarden.clearLeakHistory();
        return Response.ok(Json.write(json -> {
            json.writeStartObject();
            json.writeNumberField("cleared", cleared);
            json.writeEndObject();
        }));
    }

    private Response snapshot() {
        HeapDumps.Result result = dumps.capture();
        if (result instanceof HeapDumps.Captured captured) {
            return Response.json(201, Json.write(json -> {
                json.writeStartObject();
                json.writeStringField("name", captured.file().getFileName().toString());
                json.writeNumberField("bytes", captured.bytes());
                json.writeNumberField("tookMillis", captured.took().toMillis());
                json.writeEndObject();
            }));
        }
        String reason = ((HeapDumps.Refused) result).reason();
        throw new ApiException(
                409,
                "dump_refused",
                reason.toLowerCase(Locale.ROOT).startsWith("cannot") ? reason : "no heap dump taken: " + reason);
    }
}
