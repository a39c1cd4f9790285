package dev.memwarden.demo;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import dev.memwarden.internal.Format;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.server.MemwardenServer;
import dev.memwarden.telemetry.MemorySnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code memwarden demo}: runs the demo service with one leak switched on, drives it with its load generator, shows
 * one status line and prints memwarden's leak report when the verdict arrives and again at the end.
 */
public final class DemoMain {
    /**
     * The demo watches a short window so that a verdict can come within 90 seconds, and the class, allocation site
     * and path from the GC root within its default 2 minutes; a service would keep the defaults (30 minutes, checked
     * every minute).
     */
    static final MemwardenConfig CONFIG = MemwardenConfig.builder()
            .set("memwarden.leak.window", "2m")
            .set("memwarden.leak.interval", "10s")
            .set("memwarden.leak.histogram.interval", "10s")
            .set("memwarden.leak.allocation.sites", "on") // the demo is there to show allocation stacks
            .set("memwarden.resources.tiers", "1s:10m,1m:2h")
            .build();

    private final DemoOptions options;
    private final PrintStream out;

    DemoMain(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        // The JDK's HTTP server waits for delayed ACKs without it: 40 ms per small response on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("memwarden demo: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        new DemoMain(options, System.out).run();
    }

    /** Runs the demo to its end and returns the last leak report. */
    LeakReport run() throws IOException, InterruptedException {
        String token = oneTimeToken();
        MemwardenConfig config = options.serviceDefaults() ? MemwardenConfig.defaults() : CONFIG;
        try (Memwarden memwarden = Memwarden.builder().config(config).start();
                MemwardenServer api = startApi(memwarden, token);
                DemoService service = new DemoService(options.leak(), options.port(), memwarden);
                LoadGenerator load = new LoadGenerator(service.port())) {
            out.printf(
                    Locale.ROOT,
                    "memwarden demo: service on http://127.0.0.1:%d, leak %s (%s), for %s, max heap %s%n",
                    service.port(),
                    options.leak().cliName(),
                    options.leak().description(),
                    Format.duration(options.duration()),
                    size(memwarden.snapshot().heap().max().value().orElse(-1)));
            out.printf(
                    Locale.ROOT,
                    "memwarden API: %s/api/monitoring/memory/stats (admin token for this run: %s)%n",
                    api.url(),
                    token);
            Thread traffic = new Thread(() -> drive(load), "demo-load");
            traffic.setDaemon(true);
            traffic.start();

            long start = System.nanoTime();
            long end = start + options.duration().toNanos();
            boolean announced = false;
            long tick = 0;
            while (System.nanoTime() < end) {
                TimeUnit.SECONDS.sleep(1); // the pace of the status line, not a wait for a condition
                tick++;
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                LeakReport report = memwarden.leakReport();
                if (!options.plain()) {
                    out.print("\r" + statusLine(memwarden, report, elapsed) + "\u001b[K");
                    out.flush();
                } else if (tick % 5 == 0) {
                    out.println(statusLine(memwarden, report, elapsed));
                }
                if (!announced && report.verdict() != LeakReport.Verdict.NONE) {
                    announced = true;
                    out.printf(Locale.ROOT, "%n%nmemwarden found a leak after %s:%n", Format.duration(elapsed));
                    out.println(report.describe());
                }
            }
            load.stop();
            traffic.join(TimeUnit.SECONDS.toMillis(15));
            LeakReport last = memwarden.checkLeaks();
            out.printf(
                    Locale.ROOT,
                    "%n%nafter %s (%d requests, %d failed; %s):%n",
                    Format.duration(options.duration()),
                    load.requests(),
                    load.failures(),
                    service.status());
            out.println(last.verdict() == LeakReport.Verdict.NONE ? "no leak found: " + noLeakLine(last) : "");
            if (last.verdict() != LeakReport.Verdict.NONE) {
                out.println(last.describe());
            }
            if (options.json()) {
                out.println(last.toJson());
            }
            out.flush();
            return last;
        }
    }

    /**
     * memwarden's management API on its usual port, or on one the system chooses when that one is taken (a second
     * demo, say).
     */
    private static MemwardenServer startApi(Memwarden memwarden, String token) throws IOException {
        try {
            return MemwardenServer.builder(memwarden).adminToken(token).start();
        } catch (BindException e) {
            return MemwardenServer.builder(memwarden).adminToken(token).port(0).start();
        }
    }

    /** A token for this run only, so that the demo's admin endpoints can be tried and are never open. */
    private static String oneTimeToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void drive(LoadGenerator load) {
        try {
            load.run(Duration.ofHours(24));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String statusLine(Memwarden memwarden, LeakReport report, Duration elapsed) {
        MemorySnapshot now = memwarden.snapshot();
        return String.format(
                Locale.ROOT,
                "[%s] heap %s of %s · live set %s · RSS %s · threads %d · health %s · leak %s",
                Format.duration(elapsed),
                size(now.heap().used()),
                size(now.heap().max().value().orElse(-1)),
                now.liveSet().isPresent() ? size(now.liveSet().getAsLong()) : "n/a",
                now.process().rss().isPresent() ? size(now.process().rss().getAsLong()) : "n/a",
                now.threads().live(),
                memwarden.health().level(),
                report.verdict());
    }

    private static String noLeakLine(LeakReport report) {
        return String.format(
                Locale.ROOT,
                "live set %s, no growth the data can show (confidence %.2f)",
                size(report.liveSet().bytes()),
                report.confidence());
    }

    /** A size for the status line; a maximum of -1 is no limit. */
    static String size(long bytes) {
        return bytes < 0 ? "unlimited" : Format.bytes(bytes);
    }
}
