package dev.memwarden.server.internal.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.memwarden.bounded.Tracked;
import dev.memwarden.budget.MemoryBudget;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.internal.Json;
import dev.memwarden.telemetry.GcEvent;
import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Timeline;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The JSON the API answers with, one writer per value: field names in camel case, bytes as whole numbers of bytes,
 * times as ISO-8601 instants, an unknown value as {@code null}.
 */
final class JsonViews {
    private JsonViews() {}

    static void usage(JsonGenerator json, String name, MemorySnapshot.Usage usage) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("used", usage.used());
        json.writeNumberField("committed", usage.committed());
        limit(json, "max", usage.max());
        json.writeEndObject();
    }

    static void limit(JsonGenerator json, String name, MemorySnapshot.Limit limit) throws IOException {
        optional(json, name, limit.value());
    }

    static void optional(JsonGenerator json, String name, OptionalLong value) throws IOException {
        json.writeFieldName(name);
        if (value.isPresent()) {
            json.writeNumber(value.getAsLong());
        } else {
            json.writeNull();
        }
    }

    static void optional(JsonGenerator json, String name, OptionalDouble value) throws IOException {
        Json.numberField(json, name, value.isPresent() ? value.getAsDouble() : null);
    }

    static void bufferPool(JsonGenerator json, String name, MemorySnapshot.BufferPool pool) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("used", pool.used());
        json.writeNumberField("capacity", pool.capacity());
        json.writeNumberField("count", pool.count());
        json.writeEndObject();
    }

    static void process(JsonGenerator json, MemorySnapshot.ProcessMemory process) throws IOException {
        json.writeObjectFieldStart("process");
        optional(json, "rss", process.rss());
        optional(json, "rssAnon", process.rssAnon());
        optional(json, "rssFile", process.rssFile());
        optional(json, "peakRss", process.peakRss());
        json.writeEndObject();
    }

    static void container(JsonGenerator json, Optional<MemorySnapshot.Container> container) throws IOException {
        json.writeFieldName("container");
        if (container.isEmpty()) {
            json.writeNull();
            return;
        }
        MemorySnapshot.Container c = container.get();
        json.writeStartObject();
        json.writeNumberField("cgroupVersion", c.cgroupVersion());
        limit(json, "limit", c.limit());
        json.writeNumberField("used", c.used());
        optional(json, "peak", c.peak());
        optional(json, "anon", c.anon());
        optional(json, "file", c.file());
        optional(json, "oomKills", c.oomKills());
        json.writeEndObject();
    }

    static void threads(JsonGenerator json, MemorySnapshot.Threads threads) throws IOException {
        json.writeObjectFieldStart("threads");
        json.writeNumberField("live", threads.live());
        json.writeNumberField("daemon", threads.daemon());
        json.writeNumberField("peak", threads.peak());
        json.writeEndObject();
    }

    static void pool(JsonGenerator json, MemorySnapshot.Pool pool) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", pool.name());
        json.writeStringField("type", pool.heap() ? "heap" : "non-heap");
        json.writeNumberField("used", pool.used());
        json.writeNumberField("committed", pool.committed());
        limit(json, "max", pool.max());
        optional(json, "usedAfterLastGc", pool.usedAfterLastGc());
        json.writeEndObject();
    }

    static void collector(JsonGenerator json, MemorySnapshot.Collector collector) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", collector.name());
        json.writeNumberField("count", collector.count());
        json.writeNumberField("timeMillis", collector.time().toMillis());
        json.writeEndObject();
    }

    static void health(JsonGenerator json, HealthStatus status) throws IOException {
        json.writeStartObject();
        json.writeStringField("level", status.level().name());
        json.writeStringField("evaluatedAt", status.evaluatedAt().toString());
        json.writeArrayFieldStart("rules");
        for (HealthStatus.RuleStatus rule : status.rules()) {
            json.writeStartObject();
            json.writeStringField("rule", rule.rule());
            json.writeStringField("level", rule.level().name());
            optional(json, "value", rule.value());
            optional(json, "threshold", rule.threshold());
            json.writeFieldName("since");
            if (rule.since().isPresent()) {
                json.writeString(rule.since().get().toString());
            } else {
                json.writeNull();
            }
            json.writeStringField("reason", rule.reason());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void resource(JsonGenerator json, Tracked.State resource) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", resource.name());
        json.writeStringField("kind", resource.kind().name());
        json.writeNumberField("size", resource.size());
        optional(json, "capacity", resource.capacity());
        optional(json, "estimatedBytes", resource.estimatedBytes());
        json.writeObjectFieldStart("counters");
        for (Map.Entry<String, Long> counter : resource.counters().entrySet()) {
            json.writeNumberField(counter.getKey(), counter.getValue());
        }
        json.writeEndObject();
        json.writeArrayFieldStart("growthSite");
        for (String frame : resource.growthSite()) {
            json.writeString(frame);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void gcEvent(JsonGenerator json, GcEvent event) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", event.id());
        json.writeStringField("collector", event.collector());
        json.writeStringField("generation", event.generation().name());
        json.writeBooleanField("pause", event.pause());
        json.writeStringField("action", event.action());
        json.writeStringField("cause", event.cause());
        json.writeStringField("start", event.start().toString());
        json.writeNumberField("durationMillis", event.duration().toNanos() / 1e6);
        json.writeNumberField("heapBefore", event.heapBefore());
        json.writeNumberField("heapAfter", event.heapAfter());
        json.writeEndObject();
    }

    static void series(JsonGenerator json, Timeline.Series series) throws IOException {
        json.writeStartObject();
        json.writeStringField("metric", series.metric().key());
        json.writeStringField("unit", series.metric().unit().name());
        json.writeNumberField("resolutionSeconds", series.resolution().toMillis() / 1000.0);
        json.writeArrayFieldStart("points");
        for (Timeline.Series.Point point : series.points()) {
            json.writeStartObject();
            json.writeStringField("start", point.start().toString());
            Json.numberField(json, "min", point.min());
            Json.numberField(json, "mean", point.mean());
            Json.numberField(json, "max", point.max());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void budget(JsonGenerator json, MemoryBudget budget) throws IOException {
        json.writeStartObject();
        json.writeStringField("verdict", budget.verdict().name());
        json.writeNumberField("limit", budget.limit());
        json.writeStringField("limitSource", budget.limitSource());
        json.writeNumberField("total", budget.total());
        json.writeArrayFieldStart("items");
        for (MemoryBudget.Item item : budget.items()) {
            json.writeStartObject();
            json.writeStringField("name", item.name());
            json.writeNumberField("bytes", item.bytes());
            json.writeStringField("basis", item.basis());
            json.writeEndObject();
        }
        json.writeEndArray();
        strings(json, "recommendedFlags", budget.recommendedFlags());
        strings(json, "notes", budget.notes());
        json.writeEndObject();
    }

    static void strings(JsonGenerator json, String name, Iterable<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
