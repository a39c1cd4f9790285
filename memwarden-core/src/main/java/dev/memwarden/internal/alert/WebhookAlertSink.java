package dev.memwarden.internal.alert;

import dev.memwarden.alert.Alert;
import dev.memwarden.alert.AlertSink;
import dev.memwarden.bounded.RateLimitedLogger;
import dev.memwarden.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs each alert as JSON to a URL, with a Slack-compatible {@code text} field. {@link #accept} only enqueues, so
 * sampling never waits on the network; one daemon thread, {@code memwarden-webhook}, delivers, with a timeout per
 * request and retries with exponential back-off on connection errors, timeouts, 408, 429 and 5xx.
 *
 * <p>Nothing is lost silently: an alert that does not fit the bounded queue, or is still queued at close, is
 * counted as dropped; one that exhausts its retries is counted as failed; both are logged (rate-limited). The URL's
 * path and query are never logged, since webhook URLs usually carry their secret there.
 */
public final class WebhookAlertSink implements AlertSink {
    // Named for the public package: operators configure logging by name, and this class is internal.
    private static final System.Logger LOG = System.getLogger("dev.memwarden.alert");

    private final URI url;
    private final String safeTarget;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final BlockingQueue<String> queue;
    private final HttpClient client;
    private final Thread sender;
    private final RateLimitedLogger log;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private volatile boolean running = true;

    private WebhookAlertSink(Builder builder) {
        this.url = builder.url;
        this.safeTarget = builder.url.getScheme() + "://" + builder.url.getAuthority();
        this.timeout = builder.timeout;
        this.retries = builder.retries;
        this.backoff = builder.backoff;
        this.queue = new ArrayBlockingQueue<>(builder.queueCapacity);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.log = RateLimitedLogger.builder(LOG).maxKeys(8).build();
        this.sender = new Thread(this::deliverLoop, "memwarden-webhook");
        sender.setDaemon(true);
        sender.start();
    }

    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /** Counters since start. */
    public record Stats(long delivered, long failed, long dropped, long queued, long attempts) {}

    public Stats stats() {
        return new Stats(delivered.get(), failed.get(), dropped.get(), queue.size(), attempts.get());
    }

    @Override
    public void accept(Alert alert) {
        if (!running || !queue.offer(payload(alert))) {
            long total = dropped.incrementAndGet();
            warn(
                    "queue-full",
                    "webhook alert queue to " + safeTarget + " is full; " + total + " alerts dropped so far");
        }
    }

    static String payload(Alert alert) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("text", alert.text());
            json.writeStringField("level", alert.level().name());
            json.writeStringField("key", alert.key());
            json.writeStringField("at", alert.at().toString());
            json.writeEndObject();
        });
    }

    private void deliverLoop() {
        while (running) {
            String body;
            try {
                body = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!deliver(body)) {
                return;
            }
        }
    }

    /** Sends one alert with retries; false when interrupted (closing). */
    private boolean deliver(String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String lastProblem = "";
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff.toMillis() << Math.min(attempt - 1, 16));
                } catch (InterruptedException e) {
                    dropped.incrementAndGet();
                    return false;
                }
            }
            attempts.incrementAndGet();
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status >= 200 && status < 300) {
                    delivered.incrementAndGet();
                    return true;
                }
                lastProblem = "HTTP " + status;
                if (!retryable(status)) {
                    break;
                }
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                dropped.incrementAndGet();
                return false;
            }
        }
        long total = failed.incrementAndGet();
        warn(
                "failed",
                String.format(
                        Locale.ROOT,
                        "webhook alert to %s failed after %d attempts (%s); %d failed so far",
                        safeTarget,
                        retries + 1,
                        lastProblem,
                        total));
        return true;
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private void warn(String key, String message) {
        log.log(key, System.Logger.Level.WARNING, message);
    }

    /** Stops the sender, waiting up to one request timeout for an alert in flight; queued alerts count as dropped. */
    @Override
    public void close() {
        running = false;
        sender.interrupt();
        try {
            sender.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            dropped.addAndGet(left);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "webhook to " + safeTarget + " closed with " + left + " alerts undelivered");
        }
        if (client instanceof AutoCloseable closeable) {
            // HttpClient is AutoCloseable from JDK 21 on; on 17 its threads end once it is unreachable.
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the webhook HTTP client", e);
            }
        }
    }

    /** Settings for a {@link WebhookAlertSink}, checked on {@link #build()}. */
    public static final class Builder {
        private final URI url;
        private Duration timeout = Duration.ofSeconds(5);
        private int retries = 3;
        private Duration backoff = Duration.ofSeconds(1);
        private int queueCapacity = 100;

        private Builder(URI url) {
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("a webhook URL is an absolute http:// or https:// URL with a host");
            }
            this.url = url;
        }

        /** Connect and request timeout; default 5 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the webhook timeout must be positive, not " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Retries after the first attempt; default 3. */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("webhook retries are 0 to 10, not " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Wait before the first retry, doubled for each further one; default 1 s. */
        public Builder backoff(Duration backoff) {
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("the webhook back-off cannot be negative: " + backoff);
            }
            this.backoff = backoff;
            return this;
        }

        /** Alerts waiting for delivery before new ones are dropped; default 100. */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1 || capacity > 100_000) {
                throw new IllegalArgumentException("the webhook queue holds 1 to 100000 alerts, not " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        public WebhookAlertSink build() {
            return new WebhookAlertSink(this);
        }
    }
}
