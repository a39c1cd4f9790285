package dev.memwarden.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.memwarden.Memwarden;
import dev.memwarden.bounded.TrackedScheduler;
import dev.memwarden.health.Level;
import dev.memwarden.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service: the JDK's HTTP server on loopback with a bounded pool of handler threads, and the parts that leak in
 * real services. Endpoints: {@code POST /transcripts}, {@code GET /transcripts/stream} (SSE), {@code POST
 * /sessions/{id}/messages}, {@code POST /calls}, {@code GET /status}.
 */
final class DemoService implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    private static final Pattern SESSION_MESSAGES = Pattern.compile("/sessions/([A-Za-z0-9_-]{1,64})/messages");

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timers;
    private final TrackedScheduler scheduler;
    private final TranscriptFeed feed;
    private final ChatSessions sessions;
    private final DeadLetters deadLetters;
    private final Calls calls;

    DemoService(Leak leak, int port, Memwarden memwarden) throws IOException {
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "demo-timers"));
        this.scheduler = TrackedScheduler.builder(timers)
                .name("demo-scheduler")
                .registry(memwarden.resources())
                .build();
        this.feed = new TranscriptFeed(
                leak == Leak.SSE_CLIENTS,
                memwarden.resources(),
                timers,
                () -> memwarden.health().level() == Level.CRITICAL);
        this.sessions = new ChatSessions(leak == Leak.SESSIONS, memwarden.resources());
        this.deadLetters = new DeadLetters(
                leak == Leak.DEAD_LETTERS,
                memwarden.resources(),
                scheduler,
                payload -> ThreadLocalRandom.current().nextInt(10) < 7); // the downstream is back for 7 in 10
        this.calls = new Calls(leak, memwarden.resources(), deadLetters);
        this.handlers = Executors.newFixedThreadPool(4, r -> daemon(r, "demo-http"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(handlers);
        server.createContext("/", this::route);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        try {
            Matcher session = SESSION_MESSAGES.matcher(path);
            if (path.equals("/transcripts/stream") && method.equals("GET")) {
                stream(exchange);
                return;
            } else if (path.equals("/transcripts") && method.equals("POST")) {
                feed.publish(body(exchange));
                respond(exchange, 202, "{\"accepted\":true}");
            } else if (session.matches() && method.equals("POST")) {
                int remembered = sessions.append(session.group(1), body(exchange));
                respond(exchange, 200, Json.write(json -> {
                    json.writeStartObject();
                    json.writeStringField("session", session.group(1));
                    json.writeNumberField("remembered", remembered);
                    json.writeEndObject();
                }));
            } else if (path.equals("/calls") && method.equals("POST")) {
                long id = calls.handle(body(exchange));
                respond(exchange, 200, Json.write(json -> {
                    json.writeStartObject();
                    json.writeNumberField("call", id);
                    json.writeEndObject();
                }));
            } else if (path.equals("/status") && method.equals("GET")) {
                respond(exchange, 200, status());
            } else {
                respond(exchange, 404, error("not_found", method + " " + path + " is not an endpoint of the demo"));
            }
        } catch (BodyTooLarge e) {
            respond(exchange, 413, error("body_too_large", "a request body is at most " + MAX_BODY + " bytes"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, error("shutting_down", "the service is shutting down"));
        } catch (RuntimeException e) {
            respond(exchange, 500, error("internal", e.getClass().getSimpleName()));
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        SseResponse response = new SseResponse(exchange);
        String refused = feed.connect(response);
        if (refused != null) {
            respond(exchange, 503, error("refused", refused));
        } else {
            response.open();
        }
    }

    /** An SSE response held open; its headers go out on admission or with the first event, whichever is first. */
    private static final class SseResponse implements TranscriptFeed.EventStream {
        private final HttpExchange exchange;
        private boolean started;

        SseResponse(HttpExchange exchange) {
            this.exchange = exchange;
        }

        synchronized void open() throws IOException {
            if (!started) {
                exchange.sendResponseHeaders(200, 0);
                started = true;
                exchange.getResponseBody().flush();
            }
        }

        @Override
        public synchronized void send(String event) throws IOException {
            open();
            OutputStream out = exchange.getResponseBody();
            out.write(("data: " + event.replace("\n", "\ndata: ") + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() {
            exchange.close();
        }
    }

    String status() {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeNumberField("sessions", sessions.sessions());
            json.writeNumberField("sseClients", feed.clients());
            json.writeNumberField("subscriptions", calls.subscriptions());
            json.writeNumberField("deadLetters", deadLetters.waiting());
            json.writeEndObject();
        });
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new BodyTooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String error(String code, String message) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        });
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A request body past {@link #MAX_BODY}. */
    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public void close() {
        server.stop(0);
        feed.close();
        calls.close();
        scheduler.close();
        deadLetters.close();
        handlers.shutdownNow();
        timers.shutdownNow();
    }
}
