package dev.memwarden.server.internal.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The adapter from the JDK's {@code com.sun.net.httpserver} to the routes: it reads a request within the limits,
 * routes it, and writes the answer. Nothing else in the server sees the JDK's classes. Limits: a deadline to read each
 * request ({@link RequestDeadlines}), a body of at most {@link Limits#maxBodyBytes}, a small pool of daemon workers.
 * The JDK's server itself caps the request line and headers and closes connections idle for 30 s.
 */
public final class JdkHttpServer implements AutoCloseable {
    /** How much a request may take. */
    public record Limits(
            int threads, int queue, Duration readTimeout, int maxBodyBytes, int maxHeaders, int maxHeaderBytes) {
        public static Limits defaults() {
            return new Limits(4, 64, Duration.ofSeconds(10), 64 * 1024, 100, 32 * 1024);
        }

        public Limits withReadTimeout(Duration timeout) {
            return new Limits(threads, queue, timeout, maxBodyBytes, maxHeaders, maxHeaderBytes);
        }
    }

    /** The most of a refused body read, within the request's deadline, to answer the refusal cleanly. */
    static final long MAX_DRAIN = 1 << 20;

    private final HttpServer server;
    private final RequestDeadlines workers;

    private JdkHttpServer(HttpServer server, RequestDeadlines workers) {
        this.server = server;
        this.workers = workers;
    }

    public static JdkHttpServer start(
            InetSocketAddress address,
            Function<Request, Response> router,
            @Nullable StreamEndpoint stream,
            Limits limits)
            throws IOException {
        RequestDeadlines workers =
                new RequestDeadlines(limits.threads(), limits.queue(), limits.readTimeout(), "server");
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
        server.setExecutor(workers);
        server.createContext("/", exchange -> {
            boolean streaming = false;
            try {
                streaming = serve(exchange, router, stream, limits, workers);
            } finally {
                if (!streaming) {
                    exchange.close();
                }
            }
        });
        startOnDaemonThread(server);
        return new JdkHttpServer(server, workers);
    }

    /**
     * Starts the server from a daemon thread: the JDK's dispatcher thread takes its daemon status from the thread that
     * starts it, and a non-daemon dispatcher would keep the host from exiting.
     */
    private static void startOnDaemonThread(HttpServer server) throws IOException {
        Thread starter = new DaemonThreads("server-start").newThread(server::start);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
            throw new IOException("interrupted while starting the server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Answers one exchange; returns whether it stays open, as a subscriber's stream. */
    private static boolean serve(
            HttpExchange exchange,
            Function<Request, Response> router,
            @Nullable StreamEndpoint stream,
            Limits limits,
            RequestDeadlines workers)
            throws IOException {
        Response response = refusedByLimits(exchange, limits);
        Request request = null;
        if (response == null) {
            byte[] body = readBody(exchange.getRequestBody(), limits.maxBodyBytes());
            if (!workers.requestRead()) {
                return false;
            }
            try {
                request = request(exchange, body == null ? "" : new String(body, StandardCharsets.UTF_8));
                if (body == null) {
                    response = tooLarge(limits);
                } else if (stream != null
                        && request.method().equals("GET")
                        && request.path().equals(stream.path())) {
                    Optional<Response> refusal = stream.subscribe(request, new JdkEventSink(exchange));
                    if (refusal.isEmpty()) {
                        return true;
                    }
                    response = refusal.get();
                } else {
                    response = router.apply(request);
                }
            } catch (ApiException e) {
                response = e.response();
            }
        }
        workers.requestRead();
        write(exchange, response, request != null && request.method().equals("HEAD"));
        return false;
    }

    /** The refusal of a request whose headers or declared body are over the limits, before reading its body. */
    private static @Nullable Response refusedByLimits(HttpExchange exchange, Limits limits) throws IOException {
        if (!headersFit(exchange.getRequestHeaders(), limits)) {
            return Response.error(
                            431,
                            "headers_too_large",
                            "at most " + limits.maxHeaders() + " header fields of " + limits.maxHeaderBytes()
                                    + " bytes in all")
                    .withHeader("Connection", "close");
        }
        OptionalLong length = contentLength(exchange.getRequestHeaders());
        if (length.isPresent() && length.getAsLong() > limits.maxBodyBytes()) {
            drain(exchange.getRequestBody(), length.getAsLong());
            return tooLarge(limits).withHeader("Connection", "close");
        }
        return null;
    }

    private static Request request(HttpExchange exchange, String body) {
        return new Request(
                exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                exchange.getRequestURI().getPath(),
                query(exchange.getRequestURI().getRawQuery()),
                headers(exchange.getRequestHeaders()),
                body,
                Map.of());
    }

    private static Response tooLarge(Limits limits) {
        return Response.error(413, "too_large", "a request body is at most " + limits.maxBodyBytes() + " bytes");
    }

    private static boolean headersFit(Headers headers, Limits limits) {
        int fields = 0;
        long bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                fields++;
                bytes += header.getKey().length() + value.length() + 4;
            }
        }
        return fields <= limits.maxHeaders() && bytes <= limits.maxHeaderBytes();
    }

    private static OptionalLong contentLength(Headers headers) {
        String value = headers.getFirst("Content-Length");
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
    }

    /**
     * Reads and drops a refused body of up to {@link #MAX_DRAIN} bytes, so that the client, still sending, reads the
     * refusal instead of a reset connection; a larger one is cut off.
     */
    private static void drain(InputStream in, long length) throws IOException {
        long left = Math.min(length, MAX_DRAIN);
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                return;
            }
            left -= skipped;
        }
    }

    /** The body, or null if it is longer than the limit. */
    private static byte @Nullable [] readBody(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the query is not properly encoded: " + text);
        }
    }

    private static Map<String, List<String>> headers(Headers headers) {
        Map<String, List<String>> lower = new HashMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return lower;
    }

    private static void write(HttpExchange exchange, Response response, boolean head) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.contentType());
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        response.headers().forEach(headers::set);
        if (head || response.length() == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.length());
        try (OutputStream out = exchange.getResponseBody()) {
            response.writeBody(out);
        }
    }

    /** Stops accepting, gives exchanges under way a second to finish, and ends the workers. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
