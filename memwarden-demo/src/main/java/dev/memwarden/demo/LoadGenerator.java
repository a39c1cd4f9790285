package dev.memwarden.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic like the service's real users make, to loopback only, bounded in time and count: every tick a transcript,
 * two chat messages and a call; every second an SSE listener who connects, reads and, most of the time, drops the
 * connection a few seconds later (a closed tab).
 */
final class LoadGenerator implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(100);
    static final int MESSAGE_CHARS = 8192;
    private static final int STAYING_LISTENERS = 4;

    private final URI base;
    private final HttpClient client;
    private final ExecutorService clientThreads;
    private final Deque<Socket> openStreams = new ArrayDeque<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopped;

    LoadGenerator(int port) {
        this.base = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port);
        this.clientThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-load-client");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Sends traffic until {@code duration} has passed or {@link #close()} is called. */
    void run(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long maxTicks = duration.toMillis() / TICK.toMillis() + 1;
        String message = "m".repeat(MESSAGE_CHARS);
        for (long tick = 0; tick < maxTicks && !stopped && System.nanoTime() < end; tick++) {
            long started = System.nanoTime();
            post("/transcripts", "transcript " + tick + ": " + "t".repeat(400));
            long session = tick / 4; // a new chat session every 8 messages
            post("/sessions/s" + session + "/messages", message);
            post("/sessions/s" + session + "/messages", message);
            post("/calls", "caller-" + tick);
            if (tick % 10 == 0) {
                listen(tick);
            }
            long left = TICK.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left); // pacing the load, not waiting for a result
            }
        }
    }

    private void post(String path, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        requests.incrementAndGet();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 400) {
                failures.incrementAndGet();
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    /**
     * Opens an SSE stream on a plain socket, read by a thread of its own so the server never blocks on a full
     * socket; the oldest open one is dropped when more than a few are open.
     */
    private void listen(long tick) {
        requests.incrementAndGet();
        try {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.getOutputStream()
                    .write(("GET /transcripts/stream HTTP/1.1\r\nHost: " + base.getHost()
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            Thread reader = new Thread(() -> drain(socket), "demo-load-listener-" + tick);
            reader.setDaemon(true);
            reader.start();
            openStreams.addLast(socket);
            if (openStreams.size() > STAYING_LISTENERS) {
                openStreams.removeFirst().close(); // the tab is closed without a word to the server
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    private static void drain(Socket socket) {
        byte[] buffer = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // an SSE listener reads everything; the demo has no use for it
            }
        } catch (IOException e) {
            // closed by close() or by the server
        }
    }

    long requests() {
        return requests.get();
    }

    long failures() {
        return failures.get();
    }

    /** Ends {@link #run} after the current tick. */
    void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        stop();
        for (Socket stream : openStreams) {
            try {
                stream.close();
            } catch (IOException e) {
                // already gone
            }
        }
        clientThreads.shutdownNow();
    }
}
