package dev.memwarden.bench.scenario;

import dev.memwarden.demo.defaults.DefaultsRun;
import dev.memwarden.demo.defaults.DefaultsService;
import dev.memwarden.demo.defaults.Scenario;
import dev.memwarden.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How leak detection does at memwarden's defaults: every {@link Scenario} (a leak of each kind, and healthy shapes) in
 * a child JVM that embeds memwarden with {@code Memwarden.builder().start()} and nothing else, under each collector
 * asked for, two at a time. It prints one table: the first report and its verdict, the share of the leak's limit used
 * by then, when the right kind of suspect was first named, when a CONFIRMED came, when the limit was reached, the top
 * suspect, the final verdict, and the judgment; it exits 1 if any run was judged wrong. The native leak runs in a
 * 512 MB memory cgroup the runner makes for it, which needs root (or a delegated cgroup hierarchy). {@code --heapdump}
 * changes one setting: a heap dump on CONFIRMED, analyzed in a separate JVM to name the holder.
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.DefaultsScenarios \
 *     [--collectors G1,Parallel] [--scenarios map,direct,lru-cache] [--minutes 7] [--parallel 2] [--heapdump]
 * </pre>
 */
@Command(name = "DefaultsScenarios", mixinStandardHelpOptions = true)
public final class DefaultsScenarios implements Callable<Integer> {
    @Option(names = "--collectors", split = ",", description = "the collectors, each -XX:+Use<name>GC")
    private List<String> collectors = List.of("G1", "Parallel");

    @Option(names = "--scenarios", split = ",", description = "the scenarios by their command-line names")
    private List<String> scenarios =
            Arrays.stream(Scenario.values()).map(Scenario::cliName).toList();

    @Option(names = "--minutes", description = "how long each scenario runs at the most")
    private long minutes = 7;

    @Option(names = "--parallel", description = "how many child JVMs run at once")
    private int parallel = 2;

    @Option(names = "--heapdump", description = "a heap dump on CONFIRMED, analyzed to name the holder")
    private boolean heapDump;

    private DefaultsScenarios() {}

    record Outcome(String collector, DefaultsRun run) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new DefaultsScenarios()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ExecutorService runners = Executors.newFixedThreadPool(parallel);
        List<Future<Outcome>> runs = new ArrayList<>();
        Duration each = Duration.ofMinutes(minutes);
        for (String collector : collectors) {
            for (Scenario scenario : scenarios.stream().map(Scenario::fromCli).toList()) {
                List<String> flags = heapDump ? List.of("heapdump") : List.of();
                runs.add(runners.submit(() -> new Outcome(collector, run(collector, scenario, each, flags))));
            }
        }
        runners.shutdown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> run : runs) {
            try {
                Outcome outcome = run.get();
                outcomes.add(outcome);
                System.err.println(row(outcome));
            } catch (ExecutionException e) {
                throw new IllegalStateException("a scenario could not be run", e.getCause());
            }
        }
        System.out.println(table(outcomes));
        long wrong =
                outcomes.stream().filter(o -> !o.run().problems().isEmpty()).count();
        System.out.printf(Locale.ROOT, "%d of %d runs judged right%n", outcomes.size() - wrong, outcomes.size());
        return wrong > 0 ? 1 : 0;
    }

    /**
     * Runs one scenario under one collector for at most {@code each}; in a memory cgroup of its own where the scenario
     * needs a container.
     */
    public static DefaultsRun run(String collector, Scenario scenario, Duration each, List<String> flags)
            throws Exception {
        ChildJvm child = ChildJvm.of(DefaultsService.class)
                .options(scenario.jvmOptions())
                .options("-XX:+Use" + collector + "GC")
                .args(scenario.cliName(), Long.toString(each.toSeconds()))
                .args(flags.toArray(String[]::new))
                .timeout(each.plusSeconds(60));
        if (scenario.containerBytes() == 0) {
            return DefaultsRun.parse(scenario, child.run().output());
        }
        String name = "memwarden-bench-" + ProcessHandle.current().pid() + "-" + scenario.cliName() + "-" + collector;
        try (MemoryCgroup container = MemoryCgroup.create(name, scenario.containerBytes())) {
            return DefaultsRun.parse(
                    scenario,
                    child.launchedBy(container.launcher().toArray(String[]::new))
                            .run()
                            .output());
        }
    }

    static String table(List<Outcome> outcomes) {
        StringBuilder table = new StringBuilder();
        table.append("| collector | scenario | expected | first report | limit used by then | right suspect named"
                + " | CONFIRMED | limit reached | top suspect at first report | final verdict | holder in a root path"
                + " | holder from a dump | judged |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        outcomes.forEach(o -> table.append(row(o)).append('\n'));
        return table.toString();
    }

    private static String row(Outcome o) {
        DefaultsRun run = o.run();
        Optional<DefaultsRun.Report> first = run.firstReport();
        List<String> problems = run.problems();
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                o.collector(),
                run.scenario().cliName(),
                run.scenario().expected(),
                first.map(r -> seconds(r.millis()) + " " + r.verdict()).orElse("none"),
                first.filter(r -> !Double.isNaN(r.usedShare()))
                        .map(r -> String.format(Locale.ROOT, "%.0f %%", 100 * r.usedShare()))
                        .orElse("-"),
                run.firstRightReport().map(r -> seconds(r.millis())).orElse("-"),
                run.firstConfirmed().map(r -> seconds(r.millis())).orElse("-"),
                run.limitMillis().map(DefaultsScenarios::seconds).orElse("-"),
                first.map(DefaultsRun.Report::topSuspect).orElse("-"),
                run.finalVerdict(),
                run.scenario().holder().isEmpty() ? "-" : run.holderNamed() ? "yes" : "no",
                run.firstHolder()
                        .map(r -> seconds(r.millis()) + " " + r.topSuspect())
                        .orElse("-"),
                problems.isEmpty() ? "right" : "WRONG: " + String.join("; ", problems));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }
}
