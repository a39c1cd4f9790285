package dev.memwarden.server.internal.http;

import java.io.IOException;

/** One subscriber to a stream of server-sent events: its response, held open. */
public interface EventSink {
    /**
     * Sends one event; the first also sends the response's headers.
     *
     * @throws IOException when the subscriber is gone, or too slow and cut off
     */
    void send(String event, String data) throws IOException;

    /** Ends the response; the subscriber sees the stream end. */
    void close();
}
