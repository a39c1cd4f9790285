package dev.memwarden.bench.server;

import dev.memwarden.Memwarden;
import dev.memwarden.server.internal.http.Request;
import dev.memwarden.server.internal.metrics.MemwardenMetrics;
import dev.memwarden.server.internal.metrics.MetricsEndpoint;
import dev.memwarden.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management API under load, on loopback: {@code --clients} threads (50) for {@code --seconds} (60), each in a
 * loop of keep-alive requests against a server in a child JVM (memwarden's defaults, {@code -Xmx256m}), half to
 * {@code /api/monitoring/memory/stats} and half to {@code /metrics}. It prints requests per second, latency
 * percentiles per endpoint, failures, and the child's RSS and live set after GC before and after; then, in this JVM,
 * the bytes one scrape of {@code /metrics} allocates (the thread's allocation counter over 2,000 scrapes).
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.server.ServerLoadBench \
 *     [--clients 50] [--seconds 60] [--nodelay]
 * </pre>
 *
 * {@code --nodelay} starts the child with {@code -Dsun.net.httpserver.nodelay=true}, as a service may (memwarden never
 * sets it in a host: the property is JVM-wide).
 */
public final class ServerLoadBench {
    private static final Pattern PORT = Pattern.compile("PORT (\\d+)");
    private static final int MAX_SAMPLES_PER_CLIENT = 400_000;

    private ServerLoadBench() {}

    public static void main(String[] args) throws Exception {
        int clients = 50;
        int seconds = 60;
        boolean nodelay = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--nodelay" -> nodelay = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseG1GC"));
        if (nodelay) {
            options.add("-Dsun.net.httpserver.nodelay=true");
        }
        Process child = ChildJvm.of(ServedService.class).options(options).start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            Matcher port = PORT.matcher(String.valueOf(out.readLine()));
            if (!port.matches()) {
                throw new IllegalStateException("the served service did not print its port");
            }
            String base = "http://127.0.0.1:" + port.group(1);
            load(base, 5, 5); // warm-up, not reported
            long[] before = memory(child.pid(), base);
            Result result = load(base, clients, seconds);
            long[] after = memory(child.pid(), base);
            print(result, clients, seconds, nodelay, before, after);
        } finally {
            child.getOutputStream().close();
            child.waitFor();
        }
        System.out.printf(Locale.ROOT, "bytes allocated per /metrics scrape, in process: %,d%n", bytesPerScrape());
    }

    /** What one run measured: each endpoint's latencies, sorted, and what went wrong. */
    private static final class Result {
        final long[] statsNanos;
        final long[] metricsNanos;
        final long failures;
        final long bytes;

        Result(long[] statsNanos, long[] metricsNanos, long failures, long bytes) {
            this.statsNanos = statsNanos;
            this.metricsNanos = metricsNanos;
            this.failures = failures;
            this.bytes = bytes;
        }
    }

    private static Result load(String base, int clients, int seconds) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long[][] stats = new long[clients][];
        long[][] metrics = new long[clients][];
        int[] statsCount = new int[clients];
        int[] metricsCount = new int[clients];
        AtomicLong failures = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            stats[c] = new long[MAX_SAMPLES_PER_CLIENT];
            metrics[c] = new long[MAX_SAMPLES_PER_CLIENT];
            threads[c] = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                for (long n = 0; System.nanoTime() < end; n++) {
                    boolean scrape = (n + client) % 2 == 0;
                    String path = scrape ? "/metrics" : "/api/monitoring/memory/stats";
                    long start = System.nanoTime();
                    try {
                        HttpURLConnection connection = (HttpURLConnection)
                                URI.create(base + path).toURL().openConnection();
                        int status = connection.getResponseCode();
                        try (InputStream in = connection.getInputStream()) {
                            for (int read; (read = in.read(buffer)) > 0; ) {
                                bytes.addAndGet(read);
                            }
                        }
                        if (status != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        continue;
                    }
                    long took = System.nanoTime() - start;
                    if (scrape && metricsCount[client] < MAX_SAMPLES_PER_CLIENT) {
                        metrics[client][metricsCount[client]++] = took;
                    } else if (!scrape && statsCount[client] < MAX_SAMPLES_PER_CLIENT) {
                        stats[client][statsCount[client]++] = took;
                    }
                }
            });
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(merge(stats, statsCount), merge(metrics, metricsCount), failures.get(), bytes.get());
    }

    private static long[] merge(long[][] samples, int[] counts) {
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < samples.length; c++) {
            System.arraycopy(samples[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return all;
    }

    /** The child's RSS (from /proc) and live set after GC (from its own stats), in bytes. */
    private static long[] memory(long pid, String base) throws IOException {
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        HttpURLConnection connection = (HttpURLConnection)
                URI.create(base + "/api/monitoring/memory/stats").toURL().openConnection();
        String stats;
        try (InputStream in = connection.getInputStream()) {
            stats = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher live = Pattern.compile("\"liveSet\":(\\d+)").matcher(stats);
        return new long[] {rss, live.find() ? Long.parseLong(live.group(1)) : -1};
    }

    private static void print(Result r, int clients, int seconds, boolean nodelay, long[] before, long[] after) {
        long requests = (long) r.statsNanos.length + r.metricsNanos.length;
        System.out.printf(
                Locale.ROOT,
                "%d clients for %d s%s: %,d requests, %,.0f per second, %,d failed, %,d MB received%n",
                clients,
                seconds,
                nodelay ? " (server with sun.net.httpserver.nodelay)" : "",
                requests,
                requests / (double) seconds,
                r.failures,
                r.bytes >> 20);
        System.out.println("| endpoint | requests | p50 | p90 | p99 | p99.9 | max |");
        System.out.println("|---|---|---|---|---|---|---|");
        row("stats", r.statsNanos);
        row("/metrics", r.metricsNanos);
        System.out.printf(
                Locale.ROOT,
                "server RSS %.1f MB -> %.1f MB, live set after GC %.1f MB -> %.1f MB%n",
                before[0] / 1e6,
                after[0] / 1e6,
                before[1] / 1e6,
                after[1] / 1e6);
    }

    private static void row(String name, long[] sorted) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %,d | %s | %s | %s | %s | %s |%n",
                name,
                sorted.length,
                ms(sorted, 0.50),
                ms(sorted, 0.90),
                ms(sorted, 0.99),
                ms(sorted, 0.999),
                ms(sorted, 1.0));
    }

    private static String ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return "-";
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return String.format(Locale.ROOT, "%.2f ms", sorted[Math.max(0, index)] / 1e6);
    }

    /** The bytes one /metrics scrape allocates, by this thread's allocation counter over many scrapes. */
    private static long bytesPerScrape() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Memwarden memwarden = Memwarden.builder().start()) {
            MetricsEndpoint endpoint = new MetricsEndpoint(new MemwardenMetrics(memwarden));
            Request request = Request.of("GET", "/metrics", Map.of(), Map.of());
            for (int i = 0; i < 2_000; i++) {
                endpoint.scrape(request);
            }
            long start = threads.getCurrentThreadAllocatedBytes();
            int scrapes = 2_000;
            for (int i = 0; i < scrapes; i++) {
                endpoint.scrape(request);
            }
            return (threads.getCurrentThreadAllocatedBytes() - start) / scrapes;
        }
    }
}
