package dev.memwarden.bench.scenario;

import dev.memwarden.hprof.HprofMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * memwarden-hprof on a service-like heap with a planted leak ({@link ServiceHeap}): wall time and peak RSS of the full
 * analysis (dominators, suspects, paths from GC roots), of the histogram alone and of the diff of two dumps, each in its
 * own child JVM, beside a plain read of the same file. The dumps are written once; each round runs the steps in turn,
 * each first in turn, and the table gives medians. It fails unless the planted leak is among the suspects, named by
 * its static field, and is the top growth of the diff.
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.HprofBench \
 *     [--megabytes 170] [--rounds 3] [--xmx 1g] [--dir /tmp]
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
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--megabytes" -> megabytes = Long.parseLong(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--xmx" -> xmx = args[i + 1];
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dump = dir.resolve("memwarden-service-heap-" + megabytes + "m.hprof");
        Path before = dir.resolve("memwarden-service-heap-" + megabytes + "m-before.hprof");
        try {
            ChildJvm.Output made = ChildJvm.run(
                    LIMIT,
                    List.of("-Xmx" + (megabytes * 2 + 512) + "m"),
                    ServiceHeap.class,
                    Long.toString(megabytes),
                    dump.toString(),
                    before.toString());
            if (!made.finished() || !Files.exists(dump) || !Files.exists(before)) {
                throw new IllegalStateException("the heap was not dumped: " + made.lines());
            }
            System.out.println(String.join("\n", made.lines()));
            run(dump, before, rounds, xmx);
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(before);
        }
    }

    private static void run(Path dump, Path before, int rounds, String xmx) throws IOException, InterruptedException {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        steps.put("plain read of the file", List.of());
        steps.put("histogram alone", List.of("analyze", dump.toString(), "--top", "3", "--histogram-only"));
        steps.put("full analysis", List.of("analyze", dump.toString(), "--top", "3"));
        steps.put(
                "diff of two dumps (both analyzed)", List.of("diff", before.toString(), dump.toString(), "--top", "3"));
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(steps.keySet());
        List<String> suspects = List.of();
        List<String> growth = List.of();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((round + k) % names.size());
                boolean plain = name.startsWith("plain");
                List<String> args = steps.get(name);
                long start = System.nanoTime();
                ChildJvm.Output out = plain
                        ? ChildJvm.run(LIMIT, List.of("-Xmx64m"), PlainRead.class, dump.toString())
                        : ChildJvm.run(LIMIT, List.of("-Xmx" + xmx), HprofMain.class, args.toArray(String[]::new));
                long wall = System.nanoTime() - start;
                if (!out.finished()) {
                    throw new IllegalStateException(name + " did not finish within " + LIMIT);
                }
                if (!plain && out.lines().stream().noneMatch(l -> l.matches("(analyzed|compared) in .*"))) {
                    throw new IllegalStateException(name + " failed: " + String.join("\n", out.lines()));
                }
                if (name.equals("full analysis")) {
                    suspects = out.lines().stream()
                            .filter(l -> l.startsWith("Suspect "))
                            .toList();
                    expect(
                            suspects.stream().anyMatch(l -> l.contains("ServiceHeap.LISTENERS: a java.util.ArrayList")),
                            "the planted registry among the suspects",
                            out);
                }
                if (name.startsWith("diff")) {
                    int at = out.lines().indexOf("static fields that grew:");
                    growth = out.lines()
                            .subList(at + 1, Math.min(at + 2, out.lines().size()));
                    expect(
                            at >= 0 && growth.get(0).contains("ServiceHeap.LISTENERS"),
                            "the planted registry as the top growth",
                            out);
                }
                results.computeIfAbsent(name, n -> new ArrayList<>()).add(new long[] {wall, out.peakRssBytes()});
            }
        }
        System.out.printf(
                Locale.ROOT, "%ndump %s: %,d bytes; -Xmx%s; medians of %d%n", dump, Files.size(dump), xmx, rounds);
        System.out.println("| step | wall | peak RSS | wall vs plain read |");
        System.out.println("|---|---|---|---|");
        double plainWall = median(results.get("plain read of the file"), 0);
        for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
            double wall = median(e.getValue(), 0);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f s | %.0f MB | %.1f× |%n",
                    e.getKey(),
                    wall / 1e9,
                    median(e.getValue(), 1) / 1e6,
                    wall / plainWall);
        }
        suspects.forEach(System.out::println);
        System.out.println("top growth between the dumps: " + growth.get(0).trim());
    }

    private static void expect(boolean condition, String what, ChildJvm.Output out) {
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
