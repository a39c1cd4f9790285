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
 * analysis and of the histogram alone, each in its own child JVM, beside a plain read of the same file. The dump is
 * written once; each round runs the three in turn, each first in turn, and the table gives medians.
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
        ChildJvm.Output made = ChildJvm.run(
                LIMIT,
                List.of("-Xmx" + (megabytes * 2 + 512) + "m"),
                ServiceHeap.class,
                Long.toString(megabytes),
                dump.toString());
        if (!made.finished() || !Files.exists(dump)) {
            throw new IllegalStateException("the heap was not dumped: " + made.lines());
        }
        System.out.println(String.join("\n", made.lines()));
        try {
            run(dump, rounds, xmx);
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    private static void run(Path dump, int rounds, String xmx) throws IOException, InterruptedException {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        steps.put("plain read of the file", List.of());
        steps.put("histogram alone", List.of("--histogram-only"));
        steps.put("full analysis", List.of());
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(steps.keySet());
        String topLine = "";
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((round + k) % names.size());
                boolean plain = name.startsWith("plain");
                List<String> args = new ArrayList<>(List.of("analyze", dump.toString(), "--top", "3"));
                args.addAll(steps.get(name));
                long start = System.nanoTime();
                ChildJvm.Output out = plain
                        ? ChildJvm.run(LIMIT, List.of("-Xmx64m"), PlainRead.class, dump.toString())
                        : ChildJvm.run(LIMIT, List.of("-Xmx" + xmx), HprofMain.class, args.toArray(String[]::new));
                long wall = System.nanoTime() - start;
                if (!out.finished()) {
                    throw new IllegalStateException(name + " did not finish within " + LIMIT);
                }
                if (!plain && out.lines().stream().noneMatch(l -> l.startsWith("analyzed in"))) {
                    throw new IllegalStateException(name + " failed: " + String.join("\n", out.lines()));
                }
                if (name.equals("full analysis")) {
                    topLine = out.lines().stream()
                            .filter(l -> l.contains("class ") || l.contains("0x"))
                            .findFirst()
                            .orElse("");
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
        System.out.println("top dominator: " + topLine.trim());
    }

    private static double median(List<long[]> runs, int column) {
        long[] values = runs.stream().mapToLong(r -> r[column]).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
