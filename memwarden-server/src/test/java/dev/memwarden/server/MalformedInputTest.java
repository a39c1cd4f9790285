package dev.memwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.Memwarden;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or broken client sends, over raw sockets: each request is answered with a 4xx or its connection is
 * closed, no worker is lost to it, and the server holds no more memory afterwards than before.
 */
class MalformedInputTest {
    private static final int REQUESTS = 10_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");

    static Memwarden memwarden;
    static MemwardenServer server;

    @BeforeAll
    static void start() throws IOException {
        memwarden = Memwarden.builder().start();
        server = MemwardenServer.builder(memwarden)
                .port(0)
                .adminToken("malformed-test-token")
                .environment(Map.of())
                .requestTimeout(REQUEST_TIMEOUT)
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        memwarden.close();
    }

    /** One kind of bad request: what is sent, and whether the sender then stops without finishing it. */
    private record Bad(String kind, String request) {}

    private static List<Bad> kinds(int port) {
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        String base = "/api/monitoring/memory";
        return List.of(
                new Bad("garbage request line", "\u0001\u0002 nonsense\r\n\r\n"),
                new Bad("no version", "GET /\r\n\r\n"),
                new Bad("unknown method", "BREW " + base + "/stats HTTP/1.1\r\n" + host + "\r\n"),
                new Bad("wrong method", "DELETE " + base + "/stats HTTP/1.1\r\n" + host + "\r\n"),
                new Bad("unknown path", "GET /../../etc/passwd HTTP/1.1\r\n" + host + "\r\n"),
                new Bad("dump outside", "GET " + base + "/dumps/..%2f..%2fetc%2fpasswd HTTP/1.1\r\n" + host + "\r\n"),
                new Bad("bad query", "GET " + base + "/history?metric=%zz HTTP/1.1\r\n" + host + "\r\n"),
                new Bad("bad range", "GET " + base + "/history?metric=heap.used&range=-1 HTTP/1.1\r\n" + host + "\r\n"),
                new Bad(
                        "oversize header",
                        "GET " + base + "/stats HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(1 << 20) + "\r\n\r\n"),
                new Bad(
                        "many headers",
                        "GET " + base + "/stats HTTP/1.1\r\n" + host + "X-H: v\r\n".repeat(500) + "\r\n"),
                new Bad(
                        "oversize body",
                        "POST " + base + "/leaks/check HTTP/1.1\r\n" + host + "Content-Length: 200000\r\n\r\n"
                                + "{".repeat(200_000)),
                new Bad(
                        "lying length",
                        "POST " + base + "/leaks/check HTTP/1.1\r\n" + host + "Content-Length: 99999999999\r\n\r\n"),
                new Bad(
                        "broken JSON, no token",
                        "POST " + base + "/leaks/check HTTP/1.1\r\n" + host
                                + "Content-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"a\": [1,"),
                new Bad(
                        "wrong token",
                        "POST " + base + "/gc HTTP/1.1\r\n" + host
                                + "Authorization: Bearer guess\r\nContent-Length: 0\r\n\r\n"),
                new Bad("foreign host", "GET " + base + "/stats HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
                new Bad("truncated", "GET " + base + "/stats HTTP/1.1\r\nHo"),
                new Bad("truncated body", "POST " + base + "/gc HTTP/1.1\r\n" + host + "Content-Length: 50\r\n\r\n{"));
    }

    @Test
    void everyMalformedRequestIsRefusedOrClosedAndNothingIsLost() throws Exception {
        int port = server.port();
        List<Bad> kinds = kinds(port);
        long heapBefore = liveHeap();
        Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        Random random = new Random(42);
        for (int i = 0; i < REQUESTS; i++) {
            Bad bad = kinds.get(random.nextInt(kinds.size()));
            String outcome = send(port, bad.request());
            outcomes.computeIfAbsent(bad.kind(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        System.out.println("malformed input, " + REQUESTS + " requests, outcome by kind: " + outcomes);
        for (Map.Entry<String, Map<String, Integer>> kind : outcomes.entrySet()) {
            assertThat(kind.getValue().keySet())
                    .as(kind.getKey() + ": " + kind.getValue())
                    .allMatch(outcome -> outcome.equals("closed") || outcome.startsWith("4"));
        }
        assertThat(outcomes.get("wrong method")).containsOnlyKeys("405");
        assertThat(outcomes.get("unknown path")).containsOnlyKeys("404");
        assertThat(outcomes.get("oversize body")).containsOnlyKeys("413");
        assertThat(outcomes.get("foreign host")).containsOnlyKeys("403");
        assertThat(outcomes.get("bad range")).containsOnlyKeys("400");
        assertThat(outcomes.get("many headers")).containsOnlyKeys("431");

        assertThat(Http.get(server.url() + "/api/monitoring/memory/stats").statusCode())
                .isEqualTo(200);
        assertThat(liveHeap() - heapBefore)
                .as("heap held after %d bad requests", REQUESTS)
                .isLessThan(8L << 20);
    }

    @Test
    void slowClientsAreCutOffAndDoNotHoldTheWorkers() throws Exception {
        int port = server.port();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) { // three times the workers
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.getOutputStream()
                        .write("GET /api/monitoring/memory/stats HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            long start = System.nanoTime();
            assertThat(Http.get(server.url() + "/api/monitoring/memory/stats").statusCode())
                    .isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a request behind slow clients waits for their deadline at most")
                    .isLessThan(REQUEST_TIMEOUT.multipliedBy(5));
            for (Socket socket : slow) {
                socket.setSoTimeout((int) REQUEST_TIMEOUT.multipliedBy(10).toMillis());
                assertThat(socket.getInputStream().read())
                        .as("the slow client's connection is closed")
                        .isEqualTo(-1);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** The status a request got, or {@code closed} when the server closed the connection without one. */
    private static String send(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.multipliedBy(5).toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                return "closed"; // the server stopped reading what it refused
            }
            InputStream in = socket.getInputStream();
            byte[] head = new byte[64];
            int n;
            try {
                n = in.readNBytes(head, 0, head.length);
            } catch (SocketTimeoutException e) {
                return "no answer";
            } catch (IOException e) {
                return "closed";
            }
            Matcher status = STATUS.matcher(new String(head, 0, n, StandardCharsets.ISO_8859_1));
            return status.find() ? status.group(1) : n == 0 ? "closed" : "garbled";
        }
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
