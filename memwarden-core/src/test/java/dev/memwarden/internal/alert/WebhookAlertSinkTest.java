package dev.memwarden.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.memwarden.alert.Alert;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook sink against a real HTTP receiver on loopback: one that answers, one that fails, one that hangs. */
class WebhookAlertSinkTest {
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    private URI receiver(int status, boolean hang) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hooks/T0/secret-token", exchange -> respond(exchange, status, hang));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T0/secret-token");
    }

    private void respond(HttpExchange exchange, int status, boolean hang) throws IOException {
        requests.incrementAndGet();
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (hang) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static Alert alert(String rule, Level to) {
        return new Alert.Health(new HealthStatus.Transition(
                Instant.parse("2026-11-23T10:15:30Z"),
                rule,
                Level.OK,
                to,
                0.87,
                to,
                "live heap after GC at 87.0 % of heap.max, \"quoted\""));
    }

    @Test
    void postsJsonWithASlackCompatibleTextField() throws IOException {
        try (WebhookAlertSink sink =
                WebhookAlertSink.builder(receiver(200, false)).build()) {
            sink.accept(alert("heap.live", Level.CRITICAL));

            await().atMost(Duration.ofSeconds(10)).until(() -> sink.stats().delivered() == 1);
            assertThat(bodies).singleElement().satisfies(body -> {
                assertThat(body).startsWith("{\"text\":\"memwarden: heap.live OK -> CRITICAL");
                assertThat(body).contains("\\\"quoted\\\"");
                assertThat(body).contains("\"level\":\"CRITICAL\"").contains("\"at\":\"2026-11-23T10:15:30Z\"");
            });
            assertThat(sink.stats()).isEqualTo(new WebhookAlertSink.Stats(1, 0, 0, 0, 1));
        }
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffThenCountedAsFailed() throws IOException {
        try (WebhookAlertSink sink = WebhookAlertSink.builder(receiver(500, false))
                .retries(2)
                .backoff(Duration.ofMillis(50))
                .build()) {
            sink.accept(alert("heap.live", Level.WARN));

            await().atMost(Duration.ofSeconds(10)).until(() -> sink.stats().failed() == 1);
            assertThat(requests).hasValue(3);
            assertThat(sink.stats().delivered()).isZero();
            assertThat(sink.stats().attempts()).isEqualTo(3);
        }
    }

    @Test
    void aHangingReceiverNeverBlocksTheCallerAndOverflowIsCounted() throws IOException {
        try (WebhookAlertSink sink = WebhookAlertSink.builder(receiver(200, true))
                .timeout(Duration.ofSeconds(20))
                .retries(0)
                .queueCapacity(5)
                .build()) {
            sink.accept(alert("r0", Level.WARN));
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);

            for (int i = 1; i <= 100; i++) {
                sink.accept(alert("r" + i, Level.WARN));
            }

            // All 100 calls returned while the sender is still stuck on the first request.
            assertThat(requests).hasValue(1);
            assertThat(sink.stats().queued()).isEqualTo(5);
            assertThat(sink.stats().dropped()).isEqualTo(95);

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.stats().delivered() == 6);
            assertThat(sink.stats().failed()).isZero();
        }
    }

    @Test
    void aReceiverThatNeverAnswersTimesOut() throws IOException {
        try (WebhookAlertSink sink = WebhookAlertSink.builder(receiver(200, true))
                .timeout(Duration.ofMillis(300))
                .retries(1)
                .backoff(Duration.ofMillis(10))
                .build()) {
            sink.accept(alert("r0", Level.WARN));

            await().atMost(Duration.ofSeconds(10)).until(() -> sink.stats().failed() == 1);
            assertThat(sink.stats().attempts()).isEqualTo(2);
            assertThat(sink.stats().delivered()).isZero();
        }
    }

    @Test
    void closingCountsWhatIsStillQueuedAsDropped() throws IOException {
        WebhookAlertSink sink = WebhookAlertSink.builder(receiver(200, true))
                .timeout(Duration.ofSeconds(2))
                .retries(0)
                .build();
        for (int i = 0; i < 10; i++) {
            sink.accept(alert("r" + i, Level.WARN));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);
        sink.close();

        WebhookAlertSink.Stats stats = sink.stats();
        assertThat(stats.queued()).isZero();
        assertThat(stats.delivered() + stats.failed() + stats.dropped()).isEqualTo(10);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("memwarden-webhook") && t.isAlive());
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookAlertSink.builder(URI.create("file:///tmp/x")))
                .hasMessageContaining("http:// or https://");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> WebhookAlertSink.builder(URI.create("http://localhost/"))
                                .retries(11))
                .hasMessageContaining("0 to 10");
    }
}
