package dev.memwarden.bench.scenario;

import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The leak-scenario benchmark: a {@link LeakingService} child JVM per collector and leak rate, in a 256 MB heap,
 * and a table of how early memwarden reported the leak: time to the first verdict, the share of the heap leaked by
 * then, the time to OutOfMemoryError, the share of that time that had passed, and whether the top suspect named the
 * leak (a CLASS byte[] or an allocation site in {@code leakStep}); and, for a leak run to its OOM, how many
 * collections had run by a quarter of that time, each one point of the live set's trend. A leak that would take over
 * 10 minutes to exhaust the heap ends at its first report: its target is the share of the heap leaked by then.
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.LeakScenarios \
 *     [--collectors G1,Parallel] [--rates 10k,100k,1m,10m] [--max-minutes 15]
 * </pre>
 */
@Command(name = "LeakScenarios", mixinStandardHelpOptions = true)
public final class LeakScenarios implements Callable<Integer> {
    static final long HEAP = 256L << 20;

    /** What {@link LeakingService} prints: "REPORTED millis bytes suspect|stack" and "OOM millis bytes". */
    private static final Pattern CHILD_LINE = Pattern.compile("(REPORTED|OOM) (\\d+) (\\d+)(?: (.+))?");

    /** What {@link LeakingService} prints after "OOM": the collections that had run by a quarter of its time. */
    private static final Pattern COLLECTIONS_LINE = Pattern.compile("COLLECTIONS (-?\\d+)");

    /** A leak that takes longer than this to exhaust the heap is judged by how much leaked before the report. */
    static final long SLOW_LEAK_SECONDS = TimeUnit.MINUTES.toSeconds(10);

    private LeakScenarios() {}

    /** One run's outcome, parsed from the child's output. */
    record Outcome(
            String collector,
            long bytesPerSecond,
            long reportedMillis,
            long leakedAtReport,
            String suspect,
            long oomMillis,
            long leakedAtOom,
            long collectionsByAQuarter) {}

    @Option(names = "--collectors", split = ",", description = "the collectors, each -XX:+Use<name>GC")
    private List<String> collectors = List.of("G1", "Parallel");

    @Option(names = "--rates", split = ",", description = "leak rates a second, with k or m for KiB or MiB")
    private List<String> rates = List.of("10k", "100k", "1m", "10m");

    @Option(names = "--max-minutes", description = "how long a run goes on at the most")
    private long maxMinutes = 15;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LeakScenarios()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        for (String collector : collectors) {
            for (long rate : rates.stream().map(LeakScenarios::rate).toList()) {
                Outcome outcome = run(collector, rate, maxMinutes);
                outcomes.add(outcome);
                System.err.println(outcome);
            }
        }
        System.out.println(table(outcomes));
        return 0;
    }

    static Outcome run(String collector, long bytesPerSecond, long maxMinutes)
            throws IOException, InterruptedException {
        // A child still running at its limit is killed; what it printed by then still counts.
        ChildJvm.Result output = ChildJvm.of(LeakingService.class)
                .options("-Xms256m", "-Xmx256m", "-XX:+Use" + collector + "GC")
                .args(
                        Long.toString(bytesPerSecond),
                        Long.toString(TimeUnit.MINUTES.toSeconds(maxMinutes)),
                        Boolean.toString(HEAP / bytesPerSecond > SLOW_LEAK_SECONDS))
                .timeout(Duration.ofMinutes(maxMinutes + 2))
                .run();
        long reported = -1;
        long leakedAtReport = -1;
        String suspect = "-";
        long oom = -1;
        long leakedAtOom = -1;
        long collections = -1;
        for (String line : output.lines()) {
            Matcher m = CHILD_LINE.matcher(line);
            Matcher c = COLLECTIONS_LINE.matcher(line);
            if (c.matches()) {
                collections = Long.parseLong(c.group(1));
            } else if (!m.matches()) {
                if (line.startsWith("REPORTED") || line.startsWith("OOM")) {
                    // The child's log shares the file; a line it broke is shown, not fatal to the whole table.
                    System.err.println("unreadable line from the child: " + line);
                }
            } else if (m.group(1).equals("REPORTED") && m.group(4) != null) {
                reported = Long.parseLong(m.group(2));
                leakedAtReport = Long.parseLong(m.group(3));
                suspect = m.group(4);
            } else if (m.group(1).equals("OOM")) {
                oom = Long.parseLong(m.group(2));
                leakedAtOom = Long.parseLong(m.group(3));
            }
        }
        return new Outcome(collector, bytesPerSecond, reported, leakedAtReport, suspect, oom, leakedAtOom, collections);
    }

    static String table(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        out.append("| collector | leak rate | first report | heap leaked by then | time to OOM | share of time to OOM"
                + " | top suspect | allocation stack names leakStep | collections by a quarter of the time to OOM |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            String[] suspect = o.suspect().split("\\|", -1);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s/s | %s | %s | %s | %s | %s | %s | %s |%n",
                    o.collector(),
                    size(o.bytesPerSecond()),
                    o.reportedMillis() < 0 ? "none" : seconds(o.reportedMillis()),
                    o.leakedAtReport() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f %%", 100.0 * o.leakedAtReport() / HEAP),
                    o.oomMillis() < 0
                            ? String.format(Locale.ROOT, "not run (≈ %d min)", HEAP / o.bytesPerSecond() / 60)
                            : seconds(o.oomMillis()),
                    o.oomMillis() < 0 || o.reportedMillis() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.0f %%", 100.0 * o.reportedMillis() / o.oomMillis()),
                    suspect[0],
                    suspect.length > 1 ? suspect[1] : "-",
                    o.collectionsByAQuarter() < 0 ? "-" : Long.toString(o.collectionsByAQuarter())));
        }
        return out.toString();
    }

    private static long rate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private static String size(long bytes) {
        return bytes >= 1L << 20 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }
}
