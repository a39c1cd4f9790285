package dev.memwarden.bench.scenario;

import dev.memwarden.demo.DemoJvm;
import dev.memwarden.demo.DemoMain;
import dev.memwarden.demo.HealthyShapes;
import dev.memwarden.demo.Leak;
import dev.memwarden.demo.ScenarioJudge;
import dev.memwarden.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every scenario of the demo in full, under each collector asked for, in child JVMs with the demo's heap, two at a
 * time, judged as {@code verify}'s scenario tests judge their fast subset. It prints a table of the verdicts, when the
 * first report came and the top suspect, and exits 1 if any run was judged wrong.
 *
 * <p>By default each leak mode and the healthy service run for {@code --minutes} with memwarden at a service's
 * defaults ({@code demo --defaults}, no JVM option for memwarden), as a service would run it. With {@code --settings
 * demo} they run as {@code ./memwarden demo} does (its 2-minute window, a small JFR buffer on the command line), and
 * so do the healthy shapes (a cache warming up, a sawtooth, a batch grown and released), whose cycles are tuned to
 * that window.
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.DemoScenarios \
 *     [--collectors G1,Parallel] [--parallel 2] [--settings defaults|demo] [--minutes 6]
 * </pre>
 */
@Command(name = "DemoScenarios", mixinStandardHelpOptions = true)
public final class DemoScenarios implements Callable<Integer> {
    /** How memwarden is set up in the children: a service's defaults, or the demo's short window. */
    enum SettingsName {
        DEFAULTS,
        DEMO
    }

    @Option(names = "--collectors", split = ",", description = "the collectors, each -XX:+Use<name>GC")
    private List<String> collectors = List.of("G1", "Parallel");

    @Option(names = "--parallel", description = "how many child JVMs run at once")
    private int parallel = 2;

    @Option(names = "--settings", description = "defaults (a service's) or demo (its 2-minute window)")
    private SettingsName settingsName = SettingsName.DEFAULTS;

    @Option(names = "--minutes", description = "how long each leak runs at the service defaults")
    private long minutes = 6;

    private DemoScenarios() {}

    record Settings(boolean serviceDefaults, Duration leakRun) {
        List<String> demoArgs() {
            return serviceDefaults ? List.of("--defaults") : List.of();
        }
    }

    /** One scenario under one collector: its name, what is expected of it, and what went wrong. */
    record Outcome(
            String collector,
            String scenario,
            String expected,
            String verdict,
            String firstReport,
            String topSuspect,
            List<String> problems) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoScenarios())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean serviceDefaults = settingsName == SettingsName.DEFAULTS;
        Settings settings =
                new Settings(serviceDefaults, serviceDefaults ? Duration.ofMinutes(minutes) : ScenarioJudge.LEAK_RUN);
        ExecutorService runners = Executors.newFixedThreadPool(parallel);
        List<Future<Outcome>> runs = new ArrayList<>();
        for (String collector : collectors) {
            for (Leak leak : Leak.values()) {
                runs.add(runners.submit(() -> leak(collector, leak, settings)));
            }
            if (!settings.serviceDefaults()) {
                for (HealthyShapes.Shape shape : HealthyShapes.Shape.values()) {
                    runs.add(runners.submit(() -> shape(collector, shape)));
                }
            }
        }
        runners.shutdown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> run : runs) {
            Outcome outcome = outcomeOf(run);
            outcomes.add(outcome);
            System.err.println(outcome);
        }
        System.out.println(table(outcomes));
        long wrong = outcomes.stream().filter(o -> !o.problems().isEmpty()).count();
        System.out.printf(Locale.ROOT, "%d of %d runs judged right%n", outcomes.size() - wrong, outcomes.size());
        return wrong > 0 ? 1 : 0;
    }

    private static Outcome outcomeOf(Future<Outcome> run) throws InterruptedException {
        try {
            return run.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scenario could not be run", e.getCause());
        }
    }

    private static Outcome leak(String collector, Leak leak, Settings settings) throws Exception {
        Duration run = settings.leakRun();
        ChildJvm.Result out = ChildJvm.of(DemoMain.class)
                .options(settings.serviceDefaults() ? List.of(DemoJvm.HEAP) : DemoJvm.OPTIONS)
                .options("-XX:+Use" + collector + "GC")
                .args("--leak", leak.cliName(), "--duration", run.toSeconds() + "s", "--plain", "--json")
                .args(settings.demoArgs().toArray(String[]::new))
                .timeout(run.plusSeconds(90))
                .run();
        String output = out.output();
        List<String> problems = new ArrayList<>(ScenarioJudge.problems(leak, output));
        if (!out.finished()) {
            problems.add("did not end within " + run.plusSeconds(90).toSeconds() + " s");
        }
        String verdict = "-";
        String first = "-";
        String top = "-";
        try {
            ScenarioJudge.DemoRun parsed = ScenarioJudge.DemoRun.parse(output);
            verdict = parsed.verdict();
            first = parsed.firstReportAfter().orElse("-");
            top = parsed.suspects().isEmpty() ? "-" : parsed.suspects().get(0);
        } catch (IllegalArgumentException e) {
            // already among the problems
        }
        String expected = leak == Leak.NONE ? "no leak" : ScenarioJudge.expectedSuspect(leak);
        return new Outcome(collector, "leak " + leak.cliName(), expected, verdict, first, top, problems);
    }

    private static Outcome shape(String collector, HealthyShapes.Shape shape) throws Exception {
        Duration run = ScenarioJudge.SHAPE_RUN;
        ChildJvm.Result out = ChildJvm.of(HealthyShapes.class)
                .options(jvmOptions(collector))
                .args(shape.cliName(), Long.toString(run.toSeconds()))
                .timeout(run.plusSeconds(90))
                .run();
        String output = out.output();
        List<String> problems = new ArrayList<>(ScenarioJudge.problems(shape, output));
        if (!out.finished()) {
            problems.add("did not end within " + run.plusSeconds(90).toSeconds() + " s");
        }
        long checks = out.lines().stream().filter(l -> l.startsWith("CHECK ")).count();
        String verdict = ScenarioJudge.finalShapeReport(output)
                .map(report -> report.verdict().name())
                .orElse("none printed");
        return new Outcome(
                collector, "healthy " + shape.cliName(), "no leak", verdict, "-", checks + " checks", problems);
    }

    private static List<String> jvmOptions(String collector) {
        List<String> options = new ArrayList<>(DemoJvm.OPTIONS);
        options.add("-XX:+Use" + collector + "GC");
        return options;
    }

    static String table(List<Outcome> outcomes) {
        StringBuilder table = new StringBuilder();
        table.append(
                "| collector | scenario | expected | final verdict | first report after | top suspect | judged |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s |%n",
                    o.collector(),
                    o.scenario(),
                    o.expected(),
                    o.verdict(),
                    o.firstReport(),
                    o.topSuspect(),
                    o.problems().isEmpty() ? "right" : "WRONG: " + String.join("; ", o.problems())));
        }
        return table.toString();
    }
}
