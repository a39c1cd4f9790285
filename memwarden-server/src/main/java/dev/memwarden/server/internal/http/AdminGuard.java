package dev.memwarden.server.internal.http;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may call what changes state or reveals the heap: a bearer token, compared in constant time (as digests, so its
 * length does not leak either), with failed attempts rate-limited across all clients. Without a configured token
 * admin endpoints are refused, never open. A POST must come from this server's own origin, and every request must
 * name this server's host, so that no page on another site, and no name rebound onto loopback, reaches it.
 */
public final class AdminGuard {
    /** How many wrong tokens are answered in each {@link #FAILURE_WINDOW}; the rest get 429. */
    static final int FAILURES_PER_WINDOW = 5;

    static final Duration FAILURE_WINDOW = Duration.ofSeconds(10);

    private final byte @Nullable [] tokenDigest;
    private final InstantSource clock;
    private volatile Set<String> hosts = Set.of();
    private long windowStart;
    private int failures;

    /** @param token the admin token; null when none is configured */
    public AdminGuard(@Nullable String token, InstantSource clock) {
        this.tokenDigest = token == null ? null : digest(token);
        this.clock = clock;
    }

    /**
     * The names a request may give as its Host, known once the server is bound: the address and, on loopback,
     * {@code localhost}, each with the port.
     */
    public void listeningOn(InetAddress address, int port) {
        Set<String> names = new LinkedHashSet<>();
        names.add(hostAndPort(address.getHostAddress(), port));
        if (address.isLoopbackAddress()) {
            names.add("localhost:" + port);
            names.add("127.0.0.1:" + port);
            names.add("[::1]:" + port);
        }
        hosts = Set.copyOf(names);
    }

    private static String hostAndPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Answers a request only if it names this server's host; a name rebound onto loopback gets 403. */
    public Response guard(Request request, Router router) {
        if (!isOwnHost(request)) {
            return Response.error(
                    403,
                    "forbidden",
                    "this server does not answer to host "
                            + request.header("Host").orElse(""));
        }
        return router.route(request);
    }

    /** Whether a request names one of this server's own hosts; a rebound DNS name does not. */
    public boolean isOwnHost(Request request) {
        Optional<String> host = request.header("Host");
        return host.isEmpty() || hosts.contains(host.get().toLowerCase(Locale.ROOT));
    }

    /** Whether a state-changing request comes from no page, or from a page this server served. */
    public boolean isSameOrigin(Request request) {
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty()) {
            return true;
        }
        try {
            URI uri = URI.create(origin.get());
            String host = uri.getHost();
            return "http".equals(uri.getScheme())
                    && host != null
                    && (uri.getPath() == null || uri.getPath().isEmpty())
                    && hosts.contains(hostAndPort(host, uri.getPort()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Wraps an admin handler: it runs only for a request with the token, from this origin. */
    public Router.Handler admin(Router.Handler handler) {
        return request -> {
            refuseUnlessAdmin(request);
            return handler.handle(request);
        };
    }

    private void refuseUnlessAdmin(Request request) {
        if (!isSameOrigin(request)) {
            throw new ApiException(403, "forbidden", "cross-origin requests are refused");
        }
        byte[] expected = tokenDigest;
        if (expected == null) {
            throw new ApiException(
                    403,
                    "admin_disabled",
                    "admin endpoints are disabled: set MEMWARDEN_SERVER_TOKEN or memwarden.server.token.file to"
                            + " enable them");
        }
        String authorization = request.header("Authorization").orElse("");
        boolean bearer = authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] given = digest(bearer ? authorization.substring(7).trim() : "");
        if (bearer && MessageDigest.isEqual(expected, given)) {
            return;
        }
        if (!countFailure()) {
            throw new ApiException(429, "too_many_attempts", "too many wrong tokens; try again in a few seconds");
        }
        throw new ApiException(
                401,
                "unauthorized",
                bearer ? "wrong admin token" : "an admin token is required: Authorization: Bearer");
    }

    /** Counts a failed attempt; false once the window's allowance is spent. */
    private synchronized boolean countFailure() {
        long now = clock.millis();
        if (now - windowStart >= FAILURE_WINDOW.toMillis()) {
            windowStart = now;
            failures = 0;
        }
        return ++failures <= FAILURES_PER_WINDOW;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
