package dev.memwarden.bench.scenario;

import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What memwarden's always-on layers cost a service: {@link HostService} child JVMs without memwarden ({@code plain}),
 * with its defaults (sampling every second, GC notifications, leak layers 1-3 every minute; {@code layers}), and with
 * leak layer 5's JFR recording of old-object samples as well ({@code jfr}). Each round runs the three in turn, each
 * first in turn, so that they share the machine's noise; the table gives the medians: requests a second, process CPU
 * a second, RSS at the end, what Native Memory Tracking (on in all three) counts as Tracing, where JFR keeps its
 * buffers, and the CPU of memwarden's sampler thread and of the JDK thread that builds its GC notifications. Layer 4's histograms and layer 5's reads come only on suspicion, which a healthy host never raises.
 *
 * <pre>
 * java -cp memwarden-bench/target/benchmarks.jar dev.memwarden.bench.scenario.HostOverhead \
 *     [--rounds 5] [--warm-up 10] [--seconds 30]
 * </pre>
 */
public final class HostOverhead {
    static final List<String> MODES = List.of("plain", "layers", "jfr");

    private HostOverhead() {}

    /** One child's measured seconds. */
    record Run(
            String mode,
            long ops,
            long elapsedNanos,
            long cpuNanos,
            long rssKib,
            long tracingKib,
            long samplerCpuNanos,
            long notificationCpuNanos) {
        double opsPerSecond() {
            return ops * 1e9 / elapsedNanos;
        }

        double cpuMillisPerSecond() {
            return perSecond(cpuNanos);
        }

        double perSecond(long nanos) {
            return nanos / 1e6 / (elapsedNanos / 1e9);
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = 5;
        long warmUp = 10;
        long seconds = 30;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--warm-up" -> warmUp = Long.parseLong(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < MODES.size(); m++) {
                String mode = MODES.get((m + round) % MODES.size()); // each mode first in turn
                Run run = run(mode, warmUp, seconds);
                runs.computeIfAbsent(mode, k -> new ArrayList<>()).add(run);
                System.err.println(run);
            }
        }
        System.out.println(table(runs));
    }

    static Run run(String mode, long warmUp, long seconds) throws IOException, InterruptedException {
        ChildJvm.Result output = ChildJvm.of(HostService.class)
                .options(
                        "-Xms512m",
                        "-Xmx512m",
                        "-XX:+UseG1GC",
                        "-XX:FlightRecorderOptions=memorysize=1m,stackdepth=32",
                        "-XX:NativeMemoryTracking=summary")
                .args(mode, Long.toString(warmUp), Long.toString(seconds))
                .timeout(Duration.ofSeconds(warmUp + seconds + 60))
                .run();
        if (!output.finished()) {
            throw new IllegalStateException(mode + ": the child did not finish; it said: " + output.lines());
        }
        for (String line : output.lines()) {
            String[] f = line.split(" ", -1);
            if (f[0].equals("RESULT") && f.length >= 8) {
                return new Run(
                        mode,
                        Long.parseLong(f[1]),
                        Long.parseLong(f[2]),
                        Long.parseLong(f[3]),
                        Long.parseLong(f[4]),
                        Long.parseLong(f[5]),
                        Long.parseLong(f[6]),
                        Long.parseLong(f[7]));
            }
        }
        throw new IllegalStateException(mode + ": no RESULT line; the child said: " + output.lines());
    }

    static String table(Map<String, List<Run>> runs) {
        List<Run> plain = runs.getOrDefault("plain", List.of());
        double plainOps = median(plain, Run::opsPerSecond);
        double plainCpu = median(plain, Run::cpuMillisPerSecond);
        double plainRss = median(plain, r -> r.rssKib() / 1024.0);
        StringBuilder out = new StringBuilder();
        out.append("| configuration | runs | requests/s | vs plain | process CPU (ms/s) | above plain | RSS (MB) |"
                + " above plain | NMT Tracing (MB) | memwarden-sampler (ms/s) | Notification Thread (ms/s) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
            double ops = median(e.getValue(), Run::opsPerSecond);
            double cpu = median(e.getValue(), Run::cpuMillisPerSecond);
            double rss = median(e.getValue(), r -> r.rssKib() / 1024.0);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %,.0f | %+.1f %% | %.0f | %+.1f | %.0f | %+.1f | %.1f | %.2f | %.2f |%n",
                    e.getKey(),
                    e.getValue().size(),
                    ops,
                    100 * (ops / plainOps - 1),
                    cpu,
                    cpu - plainCpu,
                    rss,
                    rss - plainRss,
                    median(e.getValue(), r -> r.tracingKib() / 1024.0),
                    median(e.getValue(), r -> r.perSecond(r.samplerCpuNanos())),
                    median(e.getValue(), r -> r.perSecond(r.notificationCpuNanos()))));
        }
        return out.toString();
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        double[] v = runs.stream().mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
