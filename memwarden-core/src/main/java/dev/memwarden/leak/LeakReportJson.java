package dev.memwarden.leak;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.memwarden.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The leak report's JSON, both ways: what the management API serves and what the demo, the benches and the tests
 * read back. Reading skips fields it does not know, so an older reader takes a newer report.
 */
final class LeakReportJson {
    private LeakReportJson() {}

    static String write(LeakReport report) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("verdict", report.verdict().name());
            Json.numberField(json, "confidence", report.confidence());
            json.writeStringField("checkedAt", report.checkedAt().toString());
            LeakReport.LiveSet live = report.liveSet();
            json.writeObjectFieldStart("liveSet");
            json.writeNumberField("bytes", live.bytes());
            Json.numberField(json, "growthBytesPerHour", live.growthBytesPerHour());
            Json.numberField(json, "timeToExhaustionSeconds", live.timeToExhaustionSeconds());
            Json.numberField(json, "timeToContainerLimitSeconds", live.timeToContainerLimitSeconds());
            json.writeEndObject();
            json.writeArrayFieldStart("suspects");
            for (LeakReport.Suspect suspect : report.suspects()) {
                writeSuspect(json, suspect);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writeSuspect(JsonGenerator json, LeakReport.Suspect s) throws IOException {
        json.writeStartObject();
        json.writeStringField("kind", s.kind().name());
        json.writeStringField("name", s.name());
        Json.numberField(json, "growthBytesPerHour", s.growthBytesPerHour());
        Json.numberField(json, "growthCountPerHour", s.growthCountPerHour());
        if (s instanceof LeakReport.OffHeap offHeap) {
            Json.numberField(json, "timeToLimitSeconds", offHeap.timeToLimitSeconds());
        }
        json.writeStringField("evidence", s.evidence());
        json.writeStringField("nextStep", s.nextStep());
        writeStrings(json, "allocationStack", s.allocationStack());
        writeStrings(json, "gcRootPath", s.gcRootPath());
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String field, @Nullable List<String> values)
            throws IOException {
        json.writeFieldName(field);
        if (values == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** @throws IllegalArgumentException naming the field, when the text is not a leak report */
    static LeakReport read(String text) {
        return Json.read(text, LeakReportJson::readReport);
    }

    private static LeakReport readReport(JsonParser json) throws IOException {
        expect(json, json.nextToken(), JsonToken.START_OBJECT, "a leak report");
        LeakReport.Verdict verdict = null;
        double confidence = Double.NaN;
        Instant checkedAt = null;
        LeakReport.LiveSet liveSet = null;
        List<LeakReport.Suspect> suspects = List.of();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "verdict" -> verdict = constant(LeakReport.Verdict.class, text(json, value, field), field);
                case "confidence" -> confidence = number(json, value, field);
                case "checkedAt" -> checkedAt = instant(text(json, value, field), field);
                case "liveSet" -> liveSet = readLiveSet(json, value);
                case "suspects" -> suspects = readSuspects(json, value);
                default -> json.skipChildren();
            }
        }
        return new LeakReport(
                required(verdict, "verdict"),
                required(Double.isNaN(confidence) ? null : confidence, "confidence"),
                required(checkedAt, "checkedAt"),
                required(liveSet, "liveSet"),
                suspects);
    }

    private static LeakReport.LiveSet readLiveSet(JsonParser json, JsonToken start) throws IOException {
        expect(json, start, JsonToken.START_OBJECT, "liveSet");
        Long bytes = null;
        double growth = 0;
        Long toExhaustion = null;
        Long toContainer = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "bytes" -> bytes = (long) number(json, value, "liveSet.bytes");
                case "growthBytesPerHour" -> growth = number(json, value, "liveSet.growthBytesPerHour");
                case "timeToExhaustionSeconds" -> toExhaustion = wholeOrNull(json, value, field);
                case "timeToContainerLimitSeconds" -> toContainer = wholeOrNull(json, value, field);
                default -> json.skipChildren();
            }
        }
        return new LeakReport.LiveSet(required(bytes, "liveSet.bytes"), growth, toExhaustion, toContainer);
    }

    private static List<LeakReport.Suspect> readSuspects(JsonParser json, JsonToken start) throws IOException {
        expect(json, start, JsonToken.START_ARRAY, "suspects");
        List<LeakReport.Suspect> suspects = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            suspects.add(readSuspect(json, json.currentToken()));
        }
        return suspects;
    }

    private static LeakReport.Suspect readSuspect(JsonParser json, JsonToken start) throws IOException {
        expect(json, start, JsonToken.START_OBJECT, "a suspect");
        LeakReport.Kind kind = null;
        String name = null;
        Double bytes = null;
        Double count = null;
        String evidence = "";
        String nextStep = "";
        List<String> stack = null;
        List<String> path = null;
        Long toLimit = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "kind" -> kind = constant(LeakReport.Kind.class, text(json, value, field), "suspect.kind");
                case "name" -> name = text(json, value, "suspect.name");
                case "growthBytesPerHour" -> bytes = numberOrNull(json, value, field);
                case "growthCountPerHour" -> count = numberOrNull(json, value, field);
                case "timeToLimitSeconds" -> toLimit = wholeOrNull(json, value, field);
                case "evidence" -> evidence = text(json, value, field);
                case "nextStep" -> nextStep = text(json, value, field);
                case "allocationStack" -> stack = stringsOrNull(json, value, field);
                case "gcRootPath" -> path = stringsOrNull(json, value, field);
                default -> json.skipChildren();
            }
        }
        String suspectName = required(name, "suspect.name");
        return switch (required(kind, "suspect.kind")) {
            case RESOURCE ->
                new LeakReport.Resource(
                        suspectName,
                        bytes,
                        required(count, "a resource's growthCountPerHour"),
                        evidence,
                        nextStep,
                        stack);
            case CLASS ->
                new LeakReport.GrowingClass(
                        suspectName,
                        required(bytes, "a class's growthBytesPerHour"),
                        required(count, "a class's growthCountPerHour"),
                        evidence,
                        nextStep);
            case ALLOCATION_SITE -> new LeakReport.AllocationSite(suspectName, evidence, nextStep, stack, path);
            case OFF_HEAP -> new LeakReport.OffHeap(suspectName, bytes, count, evidence, nextStep, toLimit);
            case HOLDER -> new LeakReport.Holder(suspectName, evidence, nextStep, path);
        };
    }

    private static void expect(JsonParser json, @Nullable JsonToken token, JsonToken wanted, String what)
            throws IOException {
        if (token != wanted) {
            throw new IllegalArgumentException(what + ": expected " + wanted.asString() + " at " + where(json)
                    + ", found " + (token == null ? "the end" : token.name()));
        }
    }

    private static String where(JsonParser json) {
        return "line " + json.currentLocation().getLineNr() + ", column "
                + json.currentLocation().getColumnNr();
    }

    private static String text(JsonParser json, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " is not a string at " + where(json));
        }
        return json.getText();
    }

    private static double number(JsonParser json, JsonToken token, String field) throws IOException {
        if (!token.isNumeric()) {
            throw new IllegalArgumentException(field + " is not a number at " + where(json));
        }
        return json.getDoubleValue();
    }

    private static @Nullable Double numberOrNull(JsonParser json, JsonToken token, String field) throws IOException {
        return token == JsonToken.VALUE_NULL ? null : number(json, token, field);
    }

    private static @Nullable Long wholeOrNull(JsonParser json, JsonToken token, String field) throws IOException {
        return token == JsonToken.VALUE_NULL ? null : (long) number(json, token, field);
    }

    private static @Nullable List<String> stringsOrNull(JsonParser json, JsonToken token, String field)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(json, token, JsonToken.START_ARRAY, field);
        List<String> values = new ArrayList<>();
        for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
            values.add(text(json, t, field));
        }
        return values;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    field + " is '" + value + "', not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is '" + value + "', not an ISO-8601 instant");
        }
    }

    private static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("a leak report needs " + field);
        }
        return value;
    }
}
