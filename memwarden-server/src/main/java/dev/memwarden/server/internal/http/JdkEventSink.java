package dev.memwarden.server.internal.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** An {@link EventSink} over an exchange of the JDK's server that outlives the handler that opened it. */
final class JdkEventSink implements EventSink {
    private final HttpExchange exchange;
    private @Nullable OutputStream out;
    private boolean closed;

    JdkEventSink(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public synchronized void send(String event, String data) throws IOException {
        if (closed) {
            throw new IOException("the stream is closed");
        }
        OutputStream body = out;
        if (body == null) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(200, 0);
            body = exchange.getResponseBody();
            out = body;
        }
        body.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        exchange.close();
    }
}
