package dev.memwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.Memwarden;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SSE stream over real HTTP: events every second, subscribers bounded by memwarden's own registry. */
class EventStreamTest {
    private static final String STREAM = "/api/monitoring/memory/stream";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static Memwarden memwarden;
    static MemwardenServer server;

    @BeforeAll
    static void start() throws IOException {
        memwarden = Memwarden.builder().start();
        server =
                MemwardenServer.builder(memwarden).port(0).environment(Map.of()).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        memwarden.close();
    }

    private static HttpResponse<InputStream> subscribe() throws IOException, InterruptedException {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(server.url() + STREAM)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The size of the subscribers' registry as /resources tells it. */
    private static long subscribers() throws IOException, InterruptedException {
        String resources =
                Http.get(server.url() + "/api/monitoring/memory/resources").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"name\":\"memwarden\\.server\\."
                        + server.port() + "\\.subscribers\",\"kind\":\"[A-Z_]+\",\"size\":(\\d+)")
                .matcher(resources);
        assertThat(m.find()).as(resources).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Waits until the server has noticed that earlier subscribers hung up, as its next writes fail. */
    private static void awaitNoSubscribers() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (subscribers() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(subscribers()).as("subscribers that hung up are dropped").isZero();
    }

    @Test
    void aSubscriberGetsASnapshotEverySecondAndIsCounted() throws Exception {
        awaitNoSubscribers();
        HttpResponse<InputStream> stream = subscribe();
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            List<String> snapshots = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (snapshots.size() < 3 && System.nanoTime() < deadline) {
                String line = events.readLine();
                if (line != null && line.equals("event: snapshot")) {
                    snapshots.add(events.readLine());
                }
            }
            assertThat(snapshots).hasSize(3).allMatch(data -> data.startsWith("data: {\"takenAt\":"));
            assertThat(subscribers()).isEqualTo(1);
        }
        awaitNoSubscribers();
    }

    @Test
    void theSeventeenthSubscriberIsRefusedWithTheReason() throws Exception {
        awaitNoSubscribers();
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                HttpResponse<InputStream> stream = subscribe();
                assertThat(stream.statusCode()).isEqualTo(200);
                open.add(stream);
            }
            HttpResponse<String> refused = Http.get(server.url() + STREAM);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).startsWith("{\"error\":\"too_many_subscribers\",\"message\":");
        } finally {
            for (HttpResponse<InputStream> stream : open) {
                stream.body().close();
            }
        }
    }
}
