package dev.memwarden.server.internal.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the routes read it, whatever server received it.
 *
 * @param path the decoded path, without the query
 * @param body the body as UTF-8 text: the API takes JSON or nothing
 * @param query each query parameter's first value
 * @param headers header names in lower case, each with its values in order
 * @param pathParameters what the route's {@code {name}} segments matched; empty until routed
 */
public record Request(
        String method,
        String path,
        Map<String, String> query,
        Map<String, List<String>> headers,
        String body,
        Map<String, String> pathParameters) {
    public Request {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        pathParameters = Map.copyOf(pathParameters);
    }

    public static Request of(String method, String path, Map<String, String> query, Map<String, List<String>> headers) {
        return new Request(method, path, query, headers, "", Map.of());
    }

    /** The first value of a header, by its name in any case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    Request withPathParameters(Map<String, String> parameters) {
        return new Request(method, path, query, headers, body, parameters);
    }
}
