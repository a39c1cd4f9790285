package dev.memwarden.bench.scenario;

import dev.memwarden.hprof.cli.HprofMain;
import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * memwarden-hprof on a service-like heap with a planted leak ({@link ServiceHeap}): wall time and peak RSS of the full
 * analysis (dominators, suspects, paths from GC roots), of the histogram alone and of the diff of two dumps, each in its
 * own child JVM, beside a plain read of the same file and beside Shark ({@link SharkLeakAnalysis}) and the NetBeans
 * profiler library ({@link NetBeansRetainedSizes}) on the same dump. The dumps are written once; each round runs the
 * steps in turn, each first in turn, and the table gives medians. Shark and NetBeans get their JVM's default heap and
 * a time limit, past which they are stopped and not run again. It fails unless the planted leak is among the
 * suspects, named by its static field, and is the top growth of the diff, and unless Shark and NetBeans, where they
 * finish, find it too.
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.HprofBench \
 *     [--megabytes 170] [--rounds 3] [--xmx 1g] [--dir /tmp] [--others-minutes 10]
 * </pre>
 */
public final class HprofBench {
    private static final Duration LIMIT = Duration.ofMinutes(30);

    private HprofBench() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        long megabytes = 170;
        int rounds = 3;
        String xmx = "1g";
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        Duration othersLimit = Duration.ofMinutes(10);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--megabytes" -> megabytes = Long.parseLong(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--xmx" -> xmx = args[i + 1];
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--others-minutes" -> othersLimit = Duration.ofMinutes(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dump = dir.resolve("memwarden-service-heap-" + megabytes + "m.hprof");
        Path before = dir.resolve("memwarden-service-heap-" + megabytes + "m-before.hprof");
        try {
            ChildJvm.Result made = ChildJvm.of(ServiceHeap.class)
                    .options("-Xmx" + (megabytes * 2 + 512) + "m")
                    .args(Long.toString(megabytes), dump.toString(), before.toString())
                    .timeout(LIMIT)
                    .run();
            if (!made.finished() || !Files.exists(dump) || !Files.exists(before)) {
                throw new IllegalStateException("the heap was not dumped: " + made.lines());
            }
            System.out.println(String.join("\n", made.lines()));
            run(dump, before, rounds, xmx, othersLimit);
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(before);
        }
    }

    /** One row of the table: a child JVM's main class and arguments, and how long it may take. */
    private record Step(String name, List<String> jvmOptions, Class<?> main, List<String> args, Duration limit) {
        boolean ours() {
            return main == HprofMain.class;
        }

        /** Shark or NetBeans: stopped past its limit, and checked for finding the planted registry. */
        boolean anotherAnalyzer() {
            return !ours() && main != PlainRead.class;
        }
    }

    private static void run(Path dump, Path before, int rounds, String xmx, Duration othersLimit)
            throws IOException, InterruptedException {
        List<String> ourHeap = List.of("-Xmx" + xmx);
        List<Step> steps = List.of(
                new Step(
                        "plain read of the file", List.of("-Xmx64m"), PlainRead.class, List.of(dump.toString()), LIMIT),
                new Step(
                        "histogram alone",
                        ourHeap,
                        HprofMain.class,
                        List.of("analyze", dump.toString(), "--top", "3", "--histogram-only"),
                        LIMIT),
                new Step(
                        "full analysis",
                        ourHeap,
                        HprofMain.class,
                        List.of("analyze", dump.toString(), "--top", "3"),
                        LIMIT),
                new Step(
                        "diff of two dumps (both analyzed)",
                        ourHeap,
                        HprofMain.class,
                        List.of("diff", before.toString(), dump.toString(), "--top", "3"),
                        LIMIT),
                new Step(
                        "Shark 2.14: path and retained size of the leak",
                        List.of(),
                        SharkLeakAnalysis.class,
                        List.of(dump.toString()),
                        othersLimit),
                new Step(
                        "NetBeans profiler lib: all retained sizes, path of the leak",
                        List.of(),
                        NetBeansRetainedSizes.class,
                        List.of(dump.toString()),
                        othersLimit));
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        Map<String, Long> unfinished = new LinkedHashMap<>();
        steps.forEach(step -> results.put(step.name(), new ArrayList<>()));
        List<String> suspects = List.of();
        List<String> growth = List.of();
        List<String> found = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < steps.size(); k++) {
                Step step = steps.get((round + k) % steps.size());
                if (unfinished.containsKey(step.name())) {
                    continue; // once past its limit, not run again
                }
                long start = System.nanoTime();
                ChildJvm.Result out = ChildJvm.of(step.main())
                        .options(step.jvmOptions())
                        .args(step.args().toArray(String[]::new))
                        .timeout(step.limit())
                        .run();
                long wall = System.nanoTime() - start;
                deleteNetBeansCache(dump); // kept, it would spare the next round the indexing
                if (!out.finished()) {
                    if (!step.anotherAnalyzer()) {
                        throw new IllegalStateException(step.name() + " did not finish within " + step.limit());
                    }
                    unfinished.put(step.name(), out.peakRssBytes());
                    continue;
                }
                if (step.ours() && out.lines().stream().noneMatch(l -> l.matches("(analyzed|compared) in .*"))) {
                    throw new IllegalStateException(step.name() + " failed: " + String.join("\n", out.lines()));
                }
                if (step.name().equals("full analysis")) {
                    suspects = out.lines().stream()
                            .filter(l -> l.startsWith("Suspect "))
                            .toList();
                    expect(
                            suspects.stream().anyMatch(l -> l.contains("ServiceHeap.LISTENERS: a java.util.ArrayList")),
                            "the planted registry among the suspects",
                            out);
                }
                if (step.name().startsWith("diff")) {
                    int at = out.lines().indexOf("static fields that grew:");
                    growth = out.lines()
                            .subList(at + 1, Math.min(at + 2, out.lines().size()));
                    expect(
                            at >= 0 && growth.get(0).contains("ServiceHeap.LISTENERS"),
                            "the planted registry as the top growth",
                            out);
                }
                if (step.anotherAnalyzer()) {
                    List<String> answer = out.lines().stream()
                            .filter(l -> l.startsWith("found: "))
                            .toList();
                    expect(!answer.isEmpty(), step.name() + " to find the planted registry", out);
                    if (round == 0) {
                        found.add(step.name() + ": " + answer.get(0).substring("found: ".length()));
                    }
                }
                results.get(step.name()).add(new long[] {wall, out.peakRssBytes()});
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%ndump %s: %,d bytes; memwarden-hprof at -Xmx%s, the others at their JVM's default heap; medians of"
                        + " %d%n",
                dump,
                Files.size(dump),
                xmx,
                rounds);
        System.out.println("| step | wall | peak RSS | wall vs plain read |");
        System.out.println("|---|---|---|---|");
        double plainWall = median(results.get("plain read of the file"), 0);
        for (Step step : steps) {
            List<long[]> runs = results.get(step.name());
            if (unfinished.containsKey(step.name())) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | not finished in %d min | %.0f MB when stopped | |%n",
                        step.name(),
                        step.limit().toMinutes(),
                        unfinished.get(step.name()) / 1e6);
                continue;
            }
            double wall = median(runs, 0);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f s | %.0f MB | %.1f× |%n",
                    step.name(),
                    wall / 1e9,
                    median(runs, 1) / 1e6,
                    wall / plainWall);
        }
        suspects.forEach(System.out::println);
        System.out.println("top growth between the dumps: " + growth.get(0).trim());
        found.forEach(System.out::println);
    }

    /** The index the NetBeans library writes beside a dump it has read. */
    private static void deleteNetBeansCache(Path dump) throws IOException {
        Path cache = dump.resolveSibling(dump.getFileName() + ".nbcache");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> files = Files.list(cache)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(cache);
        }
    }

    private static void expect(boolean condition, String what, ChildJvm.Result out) {
        if (!condition) {
            throw new IllegalStateException("expected " + what + ": " + String.join("\n", out.lines()));
        }
    }

    private static double median(List<long[]> runs, int column) {
        long[] values = runs.stream().mapToLong(r -> r[column]).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
