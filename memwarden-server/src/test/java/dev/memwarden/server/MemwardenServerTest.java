package dev.memwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import dev.memwarden.testing.ManualClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint over real HTTP against a running Memwarden, with the admin's rules. */
class MemwardenServerTest {
    private static final String TOKEN = "s3cret-token-for-tests";
    private static final String BASE = "/api/monitoring/memory";

    @TempDir
    static Path evidence;

    static Memwarden memwarden;
    static MemwardenServer server;
    static String url;

    @BeforeAll
    static void start() throws IOException {
        memwarden = Memwarden.builder()
                .config(MemwardenConfig.builder()
                        .set("memwarden.evidence.dir", evidence.toString())
                        .build())
                .start();
        server = MemwardenServer.builder(memwarden)
                .port(0)
                .adminToken(TOKEN)
                .environment(Map.of())
                .start();
        url = server.url();
    }

    @AfterAll
    static void stop() {
        server.close();
        memwarden.close();
    }

    @Test
    void bindsToLoopbackOnThePortTheSystemChose() {
        assertThat(url).startsWith("http://127.0.0.1:");
        assertThat(server.port()).isPositive();
    }

    @Test
    void statsSayWhatMemwardenSees() throws Exception {
        HttpResponse<String> stats = Http.get(url + BASE + "/stats");

        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(stats.body())
                .contains("\"heap\":{\"used\":")
                .contains("\"liveSet\":")
                .contains("\"health\":\"")
                .contains("\"leakVerdict\":\"")
                .contains("\"threads\":{\"live\":")
                .contains("\"direct\":{\"used\":");
    }

    @Test
    void everyReadEndpointAnswersJson() throws Exception {
        Map<String, String> expected = Map.of(
                "/health", "\"rules\":[",
                "/heap-statistics", "\"pools\":[{\"name\":",
                "/leaks", "\"verdict\":",
                "/leaks/history", "[",
                "/process-info", "\"pid\":" + ProcessHandle.current().pid(),
                "/resources", "[",
                "/gc-events", "[",
                "/budget", "\"verdict\":\"",
                "/dumps", "[",
                "/history?metric=heap.used&range=10m", "\"metric\":\"heap.used\"");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            HttpResponse<String> response = Http.get(url + BASE + e.getKey());
            assertThat(response.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(response.body()).as(e.getKey()).contains(e.getValue());
        }
    }

    @Test
    void processInfoLeavesTheCommandLineOut() throws Exception {
        String body = Http.get(url + BASE + "/process-info").body();

        assertThat(body).doesNotContain("-D").doesNotContain("inputArguments").doesNotContain("classpath");
    }

    @Test
    void aBadHistoryRequestSaysWhatIsAllowed() throws Exception {
        HttpResponse<String> unknown = Http.get(url + BASE + "/history?metric=heap.colour");
        HttpResponse<String> missing = Http.get(url + BASE + "/history");
        HttpResponse<String> badRange = Http.get(url + BASE + "/history?metric=heap.used&range=forever");
        HttpResponse<String> tooLong = Http.get(url + BASE + "/history?metric=heap.used&range=30d");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body())
                .startsWith("{\"error\":\"bad_request\",\"message\":\"no metric heap.colour; metrics: ")
                .contains("heap.live");
        assertThat(missing.body()).contains("metric is required");
        assertThat(badRange.statusCode()).isEqualTo(400);
        assertThat(badRange.body()).contains("such as 10m or 6h");
        assertThat(tooLong.body()).contains("range is at most 7d");
    }

    @Test
    void unknownPathsAndWrongMethodsGetJsonErrors() throws Exception {
        HttpResponse<String> unknown = Http.get(url + BASE + "/nothing-here");
        HttpResponse<String> wrongMethod = Http.post(url + BASE + "/stats", "");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body())
                .isEqualTo("{\"error\":\"not_found\",\"message\":\"no such endpoint: " + BASE + "/nothing-here\"}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertThat(wrongMethod.body()).contains("method_not_allowed");
    }

    @Test
    void healthAndTheProbesAnswerAsKubernetesExpects() throws Exception {
        HttpResponse<String> health = Http.get(url + "/api/health");
        HttpResponse<String> readiness = Http.get(url + "/api/health/readiness");
        HttpResponse<String> liveness = Http.get(url + "/api/health/liveness");

        assertThat(health.statusCode()).isIn(200, 503);
        assertThat(health.body()).contains("\"rules\":[").contains("\"rule\":\"heap.live\"");
        boolean critical = health.body().startsWith("{\"level\":\"CRITICAL\"");
        assertThat(health.statusCode()).isEqualTo(critical ? 503 : 200);
        assertThat(readiness.statusCode()).isEqualTo(critical ? 503 : 200);
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).isEqualTo("{\"status\":\"UP\",\"reason\":\"not in a GC death spiral\"}");
    }

    @Test
    void metricsSpeakPrometheusTextAndOpenMetricsOnRequest() throws Exception {
        System.gc(); // the live set is known after a collection: memwarden reads it from the GC's notification
        HttpResponse<String> text = Http.get(url + "/metrics");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!text.body().contains("memwarden_live_set_bytes ") && System.nanoTime() < deadline) {
            text = Http.get(url + "/metrics");
        }
        HttpResponse<String> openMetrics =
                Http.get(url + "/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");

        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(text.body())
                .contains("# TYPE memwarden_live_set_bytes gauge")
                .contains("# HELP memwarden_live_set_bytes ")
                .contains("memwarden_heap_max_bytes ")
                .contains("memwarden_leak_verdict ")
                .contains("memwarden_health_rule_level{rule=\"heap.live\"}")
                .contains("memwarden_gc_overhead_ratio ")
                .containsPattern("memwarden_container_limit_bytes (\\+Inf|[0-9.E]+)\n")
                .containsPattern("memwarden_time_to_heap_exhaustion_seconds (\\+Inf|[0-9.E]+)\n");
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).endsWith("# EOF\n").contains("# UNIT memwarden_live_set_bytes bytes");
    }

    @Test
    void adminEndpointsRefuseWithoutTheRightToken() throws Exception {
        HttpResponse<String> none = Http.post(url + BASE + "/leaks/check", "");
        HttpResponse<String> wrong = Http.post(url + BASE + "/leaks/check", "", "Authorization", "Bearer nope");
        HttpResponse<String> basic = Http.post(url + BASE + "/leaks/check", "", "Authorization", "Basic " + TOKEN);

        assertThat(List.of(none.statusCode(), wrong.statusCode(), basic.statusCode()))
                .containsOnly(401);
        assertThat(none.body()).contains("an admin token is required: Authorization: Bearer");
        assertThat(wrong.body()).isEqualTo("{\"error\":\"unauthorized\",\"message\":\"wrong admin token\"}");
    }

    @Test
    void theAdminChecksForLeaksWithTheToken() throws Exception {
        HttpResponse<String> check = Http.post(url + BASE + "/leaks/check", "", "Authorization", "Bearer " + TOKEN);

        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(check.body()).startsWith("{").contains("\"verdict\":");
    }

    @Test
    void theAdminClearsTheLeakHistory() throws Exception {
        Http.post(url + BASE + "/leaks/check", "", "Authorization", "Bearer " + TOKEN);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (memwarden.leakHistory().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        List<dev.memwarden.leak.LeakReport> before = memwarden.leakHistory();
        assertThat(before).isNotEmpty();
        java.time.Instant last = before.get(before.size() - 1).checkedAt();

        HttpResponse<String> cleared =
                Http.post(url + BASE + "/leaks/clear-history", "", "Authorization", "Bearer " + TOKEN);

        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(cleared.body()).startsWith("{\"cleared\":");
        assertThat(memwarden.leakHistory())
                .as("only reports of checks after the clearing")
                .allMatch(report -> report.checkedAt().isAfter(last));
    }

    @Test
    void theAdminChangesLeakSettingsWithinWhatIsAllowed() throws Exception {
        String configure = url + BASE + "/leaks/configure";
        String[] admin = {"Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"};

        HttpResponse<String> changed = Http.post(configure, "{\"memwarden.leak.interval\": \"45s\"}", admin);
        HttpResponse<String> unknown = Http.post(configure, "{\"memwarden.sample.interval\": \"5s\"}", admin);
        HttpResponse<String> badValue = Http.post(configure, "{\"memwarden.leak.window\": \"forever\"}", admin);
        HttpResponse<String> broken = Http.post(configure, "{\"memwarden.leak.window\": ", admin);
        HttpResponse<String> nested = Http.post(configure, "{\"memwarden.leak.window\": {\"m\": 1}}", admin);

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body())
                .contains("\"memwarden.leak.interval\":\"45s\"")
                .contains("\"memwarden.leak.window\":");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("cannot be changed while memwarden runs; these can: memwarden.leak.window");
        assertThat(badValue.statusCode()).isEqualTo(400);
        assertThat(badValue.body()).contains("a duration such as");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("not JSON");
        assertThat(nested.body()).contains("must be text");
        assertThat(memwarden.leakSettings()).containsEntry("memwarden.leak.interval", "45s");
    }

    @Test
    void everyAdminEndpointRefusesWithoutTheToken() throws Exception {
        List<String> admin = List.of(
                "/gc",
                "/leaks/check",
                "/leaks/snapshot",
                "/leaks/clear-history",
                "/leaks/configure",
                "/dumps/heap-1.hprof/analyze");
        ManualClock clock = ManualClock.at2026(); // so that the wrong tokens sent here are not rate-limited
        try (MemwardenServer guarded = MemwardenServer.builder(memwarden)
                        .port(0)
                        .adminToken(TOKEN)
                        .environment(Map.of())
                        .clock(clock)
                        .start();
                MemwardenServer open = MemwardenServer.builder(memwarden)
                        .port(0)
                        .environment(Map.of())
                        .start()) {
            for (String path : admin) {
                String at = guarded.url() + BASE + path;
                assertThat(Http.post(at, "{}").statusCode()).as("none: " + path).isEqualTo(401);
                assertThat(Http.post(at, "{}", "Authorization", "Bearer wrong").statusCode())
                        .as("wrong: " + path)
                        .isEqualTo(401);
                assertThat(Http.post(at, "{}", "Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example")
                                .statusCode())
                        .as("cross-origin: " + path)
                        .isEqualTo(403);
                assertThat(Http.post(open.url() + BASE + path, "{}", "Authorization", "Bearer " + TOKEN)
                                .statusCode())
                        .as("none configured: " + path)
                        .isEqualTo(403);
                clock.advance(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void aCrossOriginPostIsRefusedEvenWithTheToken() throws Exception {
        HttpResponse<String> foreign = Http.post(
                url + BASE + "/leaks/check", "", "Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example");
        HttpResponse<String> own =
                Http.post(url + BASE + "/leaks/check", "", "Authorization", "Bearer " + TOKEN, "Origin", url);

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("cross-origin requests are refused");
        assertThat(own.statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestForAnotherHostIsRefused() throws IOException {
        String answer = Http.raw(
                server.port(),
                "GET " + BASE + "/stats HTTP/1.1\r\nHost: rebound.example:" + server.port() + "\r\n\r\n",
                Duration.ofSeconds(5));

        assertThat(answer).startsWith("HTTP/1.1 403").contains("does not answer to host rebound.example");
    }

    @Test
    void aFullCollectionIsRateLimited() throws Exception {
        HttpResponse<String> first = Http.post(url + BASE + "/gc", "", "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> second = Http.post(url + BASE + "/gc", "", "Authorization", "Bearer " + TOKEN);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"heapUsedBefore\":").contains("\"heapUsedAfter\":");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("one collection per 30 s");
    }

    @Test
    void aSnapshotIsAHeapDumpListedByNameAndAnalyzedInAnotherJvm() throws Exception {
        HttpResponse<String> snapshot =
                Http.post(url + BASE + "/leaks/snapshot", "", "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> dumps = Http.get(url + BASE + "/dumps");

        assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(201);
        String name = snapshot.body().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
        assertThat(name).endsWith(".hprof").doesNotContain("/");
        assertThat(dumps.body())
                .contains("{\"name\":\"" + name + "\",\"bytes\":")
                .doesNotContain(evidence.toString());

        HttpResponse<String> analyze =
                Http.post(url + BASE + "/dumps/" + name + "/analyze", "", "Authorization", "Bearer " + TOKEN);
        assertThat(analyze.statusCode()).as(analyze.body()).isEqualTo(202);
        HttpResponse<String> analysis = Http.get(url + BASE + "/dumps/" + name + "/analysis");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (analysis.statusCode() == 202 && System.nanoTime() < deadline) {
            assertThat(analysis.body()).startsWith("{\"state\":\"RUNNING\",\"progress\":");
            analysis = Http.get(url + BASE + "/dumps/" + name + "/analysis");
        }
        assertThat(analysis.statusCode()).as(analysis.body()).isEqualTo(200);
        assertThat(analysis.body()).contains("\"histogram\"").contains("\"suspects\"");
        assertThat(Http.get(url + BASE + "/dumps/nothing.hprof/analysis").statusCode())
                .isEqualTo(404);
        assertThat(Http.post(
                                url + BASE + "/dumps/..%2F..%2Fetc%2Fpasswd/analyze",
                                "",
                                "Authorization",
                                "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aBodyOverTheLimitIsRefusedUnread() throws Exception {
        HttpResponse<String> big =
                Http.post(url + BASE + "/leaks/check", "x".repeat(100_000), "Authorization", "Bearer " + TOKEN);

        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("a request body is at most 65536 bytes");
    }

    @Test
    void withoutATokenAdminEndpointsAreDisabledNotOpen() throws Exception {
        try (MemwardenServer open =
                MemwardenServer.builder(memwarden).port(0).environment(Map.of()).start()) {
            HttpResponse<String> check = Http.post(open.url() + BASE + "/leaks/check", "");
            HttpResponse<String> withSomeToken =
                    Http.post(open.url() + BASE + "/leaks/check", "", "Authorization", "Bearer " + TOKEN);

            assertThat(check.statusCode()).isEqualTo(403);
            assertThat(withSomeToken.statusCode()).isEqualTo(403);
            assertThat(check.body()).contains("admin endpoints are disabled: set MEMWARDEN_SERVER_TOKEN");
        }
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenNotGiven() throws Exception {
        try (MemwardenServer fromEnvironment = MemwardenServer.builder(memwarden)
                .port(0)
                .environment(Map.of(MemwardenServer.TOKEN_VARIABLE, "from-env"))
                .start()) {
            HttpResponse<String> check =
                    Http.post(fromEnvironment.url() + BASE + "/leaks/check", "", "Authorization", "Bearer from-env");

            assertThat(check.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void wrongTokensAreRateLimited() throws Exception {
        ManualClock clock = ManualClock.at2026();
        try (MemwardenServer limited = MemwardenServer.builder(memwarden)
                .port(0)
                .adminToken(TOKEN)
                .environment(Map.of())
                .clock(clock)
                .start()) {
            String check = limited.url() + BASE + "/leaks/check";
            for (int i = 0; i < 5; i++) {
                assertThat(Http.post(check, "", "Authorization", "Bearer guess" + i)
                                .statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> sixth = Http.post(check, "", "Authorization", "Bearer guess6");
            clock.advance(Duration.ofSeconds(10));
            HttpResponse<String> later = Http.post(check, "", "Authorization", "Bearer guess7");

            assertThat(sixth.statusCode()).isEqualTo(429);
            assertThat(later.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theServerTakesItsSettingsFromTheSharedKeys(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        java.nio.file.Files.writeString(tokenFile, "from-a-file\n");
        try (Memwarden configured = Memwarden.builder()
                        .config(MemwardenConfig.fromProperties(Map.of(
                                "memwarden.server.port", "0",
                                "memwarden.server.host", "localhost",
                                "memwarden.server.token.file", tokenFile.toString())))
                        .start();
                MemwardenServer fromKeys = MemwardenServer.builder(configured)
                        .environment(Map.of())
                        .start()) {
            HttpResponse<String> check =
                    Http.post(fromKeys.url() + BASE + "/leaks/check", "", "Authorization", "Bearer from-a-file");

            assertThat(fromKeys.port()).isNotEqualTo(9400);
            assertThat(check.statusCode()).isEqualTo(200);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MemwardenConfig.fromProperties(Map.of("memwarden.server.port", "70000")))
                .hasMessageContaining("memwarden.server.port")
                .hasMessageContaining("a whole number from 0 to 65535");
    }

    @Test
    void aBusyPortFailsTheStartWithTheReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemwardenServer.builder(memwarden)
                        .port(server.port())
                        .environment(Map.of())
                        .start())
                .isInstanceOf(java.net.BindException.class);
    }
}
