package dev.memwarden.server.internal.http;

import dev.memwarden.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One HTTP response: a status, a body with its type, and any further headers. Immutable. */
public final class Response {
    public static final String JSON = "application/json; charset=utf-8";

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers;

    private Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public static Response json(int status, String json) {
        return new Response(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response ok(String json) {
        return json(200, json);
    }

    /** A body of any type; the array is the response's from now on. */
    public static Response of(int status, String contentType, byte[] body) {
        return new Response(status, contentType, body, Map.of());
    }

    /** The one shape of every error: {@code {"error": code, "message": text}}. */
    public static Response error(int status, String code, String message) {
        return json(status, Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        }));
    }

    public Response withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new Response(status, contentType, body, more);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** How many bytes the body has. */
    public int length() {
        return body.length;
    }

    /** Writes the body: the array itself never leaves. */
    public void writeBody(java.io.OutputStream out) throws java.io.IOException {
        out.write(body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
