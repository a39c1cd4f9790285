package dev.memwarden.server.internal.http;

import java.util.Optional;

/** A path whose GET subscribes to server-sent events instead of getting one response. */
public interface StreamEndpoint {
    String path();

    /**
     * Takes a subscriber on, sending its first events before it returns, or says why not.
     *
     * @return the response to send instead, when the subscriber is refused
     */
    Optional<Response> subscribe(Request request, EventSink sink);
}
