package dev.memwarden.server.internal.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.memwarden.internal.Json;
import dev.memwarden.server.internal.http.ApiException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body of {@code /leaks/configure}: one JSON object of keys to text values, at most {@link #MAX_KEYS} keys. */
final class LeakSettingsJson {
    static final int MAX_KEYS = 16;

    private LeakSettingsJson() {}

    static Map<String, String> read(String body) {
        if (body.isBlank()) {
            throw ApiException.badRequest(
                    "the body is a JSON object of settings, such as {\"memwarden.leak.interval\":" + " \"30s\"}");
        }
        try {
            return Json.read(body, LeakSettingsJson::settings);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(String.valueOf(e.getMessage()));
        }
    }

    private static Map<String, String> settings(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("the body must be a JSON object of settings");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
            String key = json.currentName();
            JsonToken value = json.nextToken();
            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT) {
                throw new IllegalArgumentException("the value of '" + key + "' must be text, such as \"30s\"");
            }
            if (settings.size() == MAX_KEYS) {
                throw new IllegalArgumentException("at most " + MAX_KEYS + " settings at once");
            }
            settings.put(key, json.getText());
        }
        if (json.nextToken() != null) {
            throw new IllegalArgumentException("nothing may follow the object");
        }
        return settings;
    }
}
