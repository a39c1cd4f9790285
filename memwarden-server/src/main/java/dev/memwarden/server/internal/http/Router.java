package dev.memwarden.server.internal.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Routes a request to the handler of its method and path. Paths are literal segments and {@code {name}} segments
 * that match one segment each. An unknown path is a 404, a known path with another method a 405 naming the allowed
 * ones, a refusal a handler throws its own status, and anything else a 500 whose message says nothing of the
 * server's insides. Knows nothing of any HTTP server.
 */
public final class Router {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    /** Answers one request; throws {@link ApiException} to refuse it. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private record Route(String method, List<String> segments, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    public Router get(String path, Handler handler) {
        return add("GET", path, handler);
    }

    public Router post(String path, Handler handler) {
        return add("POST", path, handler);
    }

    private Router add(String method, String path, Handler handler) {
        routes.add(new Route(method, segments(path), handler));
        return this;
    }

    public Response route(Request request) {
        List<String> segments = segments(request.path());
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> parameters = match(route.segments(), segments);
            if (parameters == null) {
                continue;
            }
            boolean head = request.method().equals("HEAD") && route.method().equals("GET");
            if (!route.method().equals(request.method()) && !head) {
                allowed.add(route.method());
                continue;
            }
            return call(route, request.withPathParameters(parameters));
        }
        if (!allowed.isEmpty()) {
            return Response.error(
                            405,
                            "method_not_allowed",
                            request.method() + " is not allowed on " + request.path() + "; allowed: "
                                    + String.join(", ", allowed))
                    .withHeader("Allow", String.join(", ", allowed));
        }
        return Response.error(404, "not_found", "no such endpoint: " + request.path());
    }

    private static Response call(Route route, Request request) {
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            return e.response();
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "memwarden: " + request.method() + " " + request.path() + " failed",
                    e);
            return Response.error(500, "internal", "the request failed inside memwarden; the server's log says why");
        }
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }

    private static @Nullable Map<String, String> match(List<String> pattern, List<String> segments) {
        if (pattern.size() != segments.size()) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            String segment = segments.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (segment.isEmpty()) {
                    return null;
                }
                parameters.put(p.substring(1, p.length() - 1), segment);
            } else if (!p.equals(segment)) {
                return null;
            }
        }
        return parameters;
    }
}
