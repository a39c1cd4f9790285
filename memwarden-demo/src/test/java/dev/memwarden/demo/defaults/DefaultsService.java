package dev.memwarden.demo.defaults;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.server.HprofDumpAnalyzer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the defaults scenarios: a service that embeds memwarden with its defaults, serves requests (about
 * 2 MB/s of short-lived garbage) and runs one {@link Scenario}'s workload. It prints a line at every change of
 * memwarden's verdict or top suspect, one when its leak reaches its limit, and one at its end:
 *
 * <pre>
 * VERDICT millis verdict confidence usedShare|- timeToExhaustion|- rightSuspect topSuspect…
 * LIMIT millis what
 * END millis usedShare
 * REPORT json
 * </pre>
 *
 * <p>Arguments: the scenario, the most seconds to run, and optionally {@code until-named}: end once a report names
 * the right kind of suspect for the leak, and {@code heapdump}: the one setting changed, a heap dump on CONFIRMED
 * analyzed by memwarden-server's {@link HprofDumpAnalyzer}.
 */
public final class DefaultsService {
    private DefaultsService() {}

    public static void main(String[] args) throws InterruptedException {
        Scenario scenario = Scenario.fromCli(args[0]);
        long maxMillis = TimeUnit.SECONDS.toMillis(Long.parseLong(args[1]));
        List<String> flags = Arrays.asList(args).subList(2, args.length);
        boolean untilNamed = flags.contains("until-named");
        Workload workload = scenario.workload();
        Memwarden.Builder builder = Memwarden.builder();
        if (flags.contains("heapdump")) {
            builder.config(MemwardenConfig.builder()
                            .set("memwarden.leak.heapdump", "on")
                            .build())
                    .dumpAnalyzer(new HprofDumpAnalyzer());
        }
        try (Memwarden memwarden = builder.start()) {
            run(scenario, workload, memwarden, maxMillis, untilNamed);
            System.out.println("REPORT " + memwarden.leakReport().toJson());
        }
    }

    private static void run(
            Scenario scenario, Workload workload, Memwarden memwarden, long maxMillis, boolean untilNamed)
            throws InterruptedException {
        long start = System.nanoTime();
        String last = "";
        Object[] requests = new Object[256];
        long served = 0;
        while (true) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (elapsed > maxMillis) {
                System.out.printf(Locale.ROOT, "END %d %.3f%n", elapsed, workload.usedShare());
                return;
            }
            try {
                workload.step(elapsed);
            } catch (Workload.LimitReached e) {
                System.out.printf(Locale.ROOT, "LIMIT %d %s%n", elapsed, e.getMessage());
                return;
            }
            for (int i = 0; i < 20; i++) { // a request's temporaries, about 2 MB/s in all
                requests[(int) (served++ % requests.length)] = new byte[1024];
            }
            LeakReport report = memwarden.leakReport();
            String heard = heard(report, scenario);
            if (!heard.equals(last)) {
                last = heard;
                System.out.println(verdictLine(elapsed, report, workload, scenario));
                report.suspects().forEach(s -> System.out.println("  " + s.kind() + " " + s.evidence()));
                if (untilNamed && report.suspects().stream().anyMatch(scenario::rightSuspect)) {
                    System.out.printf(Locale.ROOT, "END %d %.3f%n", elapsed, workload.usedShare());
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(10); // the pace of the service's requests, not a wait for a result
        }
    }

    /** What a line is printed for a change of: the verdict, the top suspect, and whether the right one is named. */
    private static String heard(LeakReport report, Scenario scenario) {
        return report.verdict() + " " + top(report) + " "
                + report.suspects().stream().anyMatch(scenario::rightSuspect);
    }

    private static String top(LeakReport report) {
        return report.suspects().isEmpty()
                ? "live-set-only"
                : report.suspects().get(0).kind() + " "
                        + report.suspects().get(0).name();
    }

    private static String verdictLine(long elapsed, LeakReport report, Workload workload, Scenario scenario) {
        double used = workload.usedShare();
        Long exhaustion = report.liveSet().timeToExhaustionSeconds();
        boolean right = report.suspects().stream().anyMatch(scenario::rightSuspect);
        return String.format(
                Locale.ROOT,
                "VERDICT %d %s %.3f %s %s %s %s",
                elapsed,
                report.verdict(),
                report.confidence(),
                Double.isNaN(used) ? "-" : String.format(Locale.ROOT, "%.3f", used),
                exhaustion == null ? "-" : exhaustion.toString(),
                right,
                top(report));
    }
}
