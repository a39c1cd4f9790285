package dev.memwarden.demo;

import dev.memwarden.bounded.ClientRegistry;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.RingBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The live transcript feed: transcripts posted to the service go to every connected SSE client. Bounded, the
 * clients live in a {@link ClientRegistry} (at most {@value #MAX_CLIENTS}, idle ones swept, a client whose write
 * fails removed, new ones refused while memory is critical). Leaking, clients are kept in a plain list and a client
 * whose connection broke stays there, buffering every event it missed for a reconnect that never comes.
 */
final class TranscriptFeed implements AutoCloseable {
    static final String NAME = "sse-clients";
    static final int MAX_CLIENTS = 200;
    static final Duration IDLE = Duration.ofSeconds(15);

    /** Where a client's events go: an open SSE response. */
    interface EventStream {
        void send(String event) throws IOException;

        void close();
    }

    /** One connected client. */
    static final class SseClient {
        private final EventStream stream;
        private final List<byte[]> missed = new ArrayList<>();
        private volatile long id;
        private boolean broken;

        SseClient(EventStream stream) {
            this.stream = stream;
        }

        /** Sends an event; false once the connection has broken. */
        synchronized boolean deliver(String event) {
            if (!broken) {
                try {
                    stream.send(event);
                    return true;
                } catch (IOException e) {
                    broken = true;
                }
            }
            // Kept as the frame to replay on reconnect, which never comes.
            missed.add(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
            return false;
        }
    }

    private final @Nullable ClientRegistry<SseClient> clients;
    private final List<SseClient> everConnected = Collections.synchronizedList(new ArrayList<>());
    private final RingBuffer<String> recent;

    TranscriptFeed(
            boolean leak, ResourceRegistry registry, ScheduledExecutorService sweeper, BooleanSupplier critical) {
        this.recent = RingBuffer.builder()
                .name("recent-transcripts")
                .capacity(100)
                .registry(registry)
                .build();
        if (leak) {
            this.clients = null;
            registry.watch(NAME, everConnected);
        } else {
            this.clients = ClientRegistry.builder()
                    .name(NAME)
                    .maxClients(MAX_CLIENTS)
                    .idleTimeout(IDLE)
                    .sweepEvery(Duration.ofSeconds(5), sweeper)
                    .refuseNewWhen(critical)
                    .registry(registry)
                    .build((SseClient client, ClientRegistry.EvictionReason reason) -> client.stream.close());
        }
    }

    /** Connects a client and replays the recent transcripts; null when admitted, else the reason for refusing. */
    @Nullable
    String connect(EventStream stream) {
        SseClient client = new SseClient(stream);
        ClientRegistry<SseClient> registry = clients;
        if (registry == null) {
            everConnected.add(client);
        } else {
            ClientRegistry.Admission admission = registry.admit(client);
            if (!admission.admitted()) {
                return admission.reason();
            }
            client.id = admission.id();
        }
        recent.snapshot().forEach(client::deliver);
        return null;
    }

    /** Sends a transcript to every client. */
    void publish(String transcript) {
        recent.add(transcript);
        ClientRegistry<SseClient> registry = clients;
        if (registry == null) {
            List<SseClient> all;
            synchronized (everConnected) {
                all = new ArrayList<>(everConnected);
            }
            all.forEach(client -> client.deliver(transcript));
            return;
        }
        registry.forEach(client -> {
            if (client.deliver(transcript)) {
                registry.touch(client.id);
            } else if (registry.remove(client.id)) {
                client.stream.close();
            }
        });
    }

    int clients() {
        ClientRegistry<SseClient> registry = clients;
        return registry == null ? everConnected.size() : registry.size();
    }

    @Override
    public void close() {
        ClientRegistry<SseClient> registry = clients;
        if (registry != null) {
            registry.close();
        } else {
            synchronized (everConnected) {
                everConnected.forEach(client -> client.stream.close());
            }
        }
    }
}
