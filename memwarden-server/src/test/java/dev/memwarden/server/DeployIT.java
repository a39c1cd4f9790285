package dev.memwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.Memwarden;
import dev.memwarden.bounded.BoundedQueue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/} checked with the real tools: the alert rules by {@code promtool}, and the Grafana dashboard by a
 * real Prometheus (Debian's package, loopback only, stopped after at most a minute) scraping a running memwarden
 * server: every query of every panel must return series. Runs where {@code promtool} is installed ({@code .ci/run}
 * installs it), through the {@code deploy-checks} profile.
 */
class DeployIT {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern EXPR = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void theAlertRulesAreValidAndTheirUnitTestsPass() throws Exception {
        Path rules = DEPLOY.resolve("prometheus");

        assertThat(run(rules, "promtool", "check", "rules", "memwarden-alerts.yml"))
                .contains("SUCCESS: 6 rules found");
        assertThat(run(rules, "promtool", "test", "rules", "memwarden-alerts.test.yml"))
                .contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryReturnsSeriesFromARealPrometheus(@TempDir Path dir) throws Exception {
        List<String> queries = dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(15);
        try (Memwarden memwarden = Memwarden.builder().start();
                MemwardenServer server = MemwardenServer.builder(memwarden)
                        .port(0)
                        .environment(Map.of())
                        .start();
                BoundedQueue<String> queue = BoundedQueue.<String>builder()
                        .name("deploy-test-queue")
                        .capacity(2)
                        .overflow(BoundedQueue.Overflow.DROP_OLDEST)
                        .registry(memwarden.resources())
                        .build()) {
            for (int i = 0; i < 5; i++) {
                queue.offer("x" + i); // three dropped: the events counter has something to count
            }
            System.gc(); // the live set is known after a collection, which an idle test JVM may not run for a minute
            int prometheusPort = freePort();
            Files.writeString(
                    dir.resolve("prometheus.yml"),
                    """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: memwarden
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """
                            .formatted(server.port()));
            Process prometheus = new ProcessBuilder(
                            "prometheus",
                            "--config.file=" + dir.resolve("prometheus.yml"),
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try {
                List<String> empty = awaitSeries(prometheusPort, queries, Duration.ofSeconds(60));
                assertThat(empty).as("dashboard queries without series").isEmpty();
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** Every query of the dashboard, with the instance variable matching every instance. */
    private static List<String> dashboardQueries() throws IOException {
        String json = Files.readString(DEPLOY.resolve("grafana").resolve("memwarden-dashboard.json"));
        List<String> queries = new ArrayList<>();
        Matcher m = EXPR.matcher(json);
        while (m.find()) {
            queries.add(m.group(1).replace("\\\"", "\"").replace("$instance", ".*"));
        }
        return queries;
    }

    /** Polls until every query returns series or the time is up; returns those that still return none. */
    private static List<String> awaitSeries(int port, List<String> queries, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> empty = new ArrayList<>(queries);
        while (!empty.isEmpty() && System.nanoTime() < deadline) {
            List<String> still = new ArrayList<>();
            for (String query : empty) {
                String answer;
                try {
                    answer = Http.get("http://127.0.0.1:" + port + "/api/v1/query?query="
                                    + URLEncoder.encode(query, StandardCharsets.UTF_8))
                            .body();
                } catch (IOException notYetListening) {
                    answer = "";
                }
                if (!answer.contains("\"result\":[{")) {
                    still.add(query);
                }
            }
            empty = still;
            if (!empty.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(500); // the scrape interval's pace, bounded by the deadline above
            }
        }
        return empty;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
