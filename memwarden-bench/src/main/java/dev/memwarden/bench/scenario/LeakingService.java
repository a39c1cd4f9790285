package dev.memwarden.bench.scenario;

import dev.memwarden.Memwarden;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.GcEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of {@link LeakScenarios}: leaks at a fixed rate into a static list while it churns garbage, with
 * memwarden embedded at its defaults ({@code Memwarden.builder().start()}, no JVM option for it), and prints one line when memwarden first reports a leak and one when the heap is exhausted,
 * followed by how many collections had run by a quarter of that time: each gives the live set one point.
 *
 * <p>Arguments: the leak rate in bytes a second, the most seconds to run, and whether to end at the first report
 * (for slow leaks, whose target is the share of the heap leaked by then, not the time to OOM).
 */
public final class LeakingService {
    /** What leaks: a static list nobody clears, the most common leak there is. */
    static final List<byte[]> RETAINED = new ArrayList<>();

    private static final int CHUNK = 1024;

    private LeakingService() {}

    public static void main(String[] args) throws InterruptedException {
        long bytesPerSecond = Long.parseLong(args[0]);
        long maxSeconds = Long.parseLong(args[1]);
        boolean endAtReport = Boolean.parseBoolean(args[2]);
        try (Memwarden memwarden = Memwarden.builder().start()) {
            long start = System.nanoTime();
            Instant startedAt = Instant.now();
            long leaked = 0;
            boolean reported = false;
            Object[] churn = new Object[512];
            long tick = 0;
            while (true) {
                long elapsedNanos = System.nanoTime() - start;
                if (elapsedNanos > TimeUnit.SECONDS.toNanos(maxSeconds)) {
                    System.out.printf("END %d %d%n", elapsedNanos / 1_000_000, leaked);
                    return;
                }
                long due = bytesPerSecond * elapsedNanos / 1_000_000_000L;
                try {
                    while (leaked < due) {
                        leakStep();
                        leaked += CHUNK;
                    }
                    for (int i = 0; i < 64; i++) { // about 6 MB/s of short-lived garbage beside the leak
                        churn[(int) (tick++ % churn.length)] = new byte[1024];
                    }
                } catch (OutOfMemoryError e) {
                    RETAINED.clear();
                    long oomMillis = (System.nanoTime() - start) / 1_000_000;
                    System.out.printf("OOM %d %d%n", oomMillis, leaked);
                    System.out.printf(
                            "COLLECTIONS %d%n", collectionsBefore(memwarden, startedAt.plusMillis(oomMillis / 4)));
                    return;
                }
                if (!reported) {
                    LeakReport report = memwarden.leakReport();
                    if (report.verdict() != LeakReport.Verdict.NONE) {
                        reported = true;
                        System.out.printf(
                                "REPORTED %d %d %s|%s%n",
                                (System.nanoTime() - start) / 1_000_000,
                                leaked,
                                topSuspect(report),
                                allocatedInLeakStep(report) ? "stack" : "no-stack");
                        if (endAtReport) {
                            return;
                        }
                    }
                }
                TimeUnit.MILLISECONDS.sleep(1); // pacing the leak, not waiting for a result
            }
        }
    }

    /** Collections that paused the JVM and ended before {@code end}, since it started; -1 if memwarden kept too few. */
    private static long collectionsBefore(Memwarden memwarden, Instant end) {
        List<GcEvent> events = memwarden.gcEvents();
        if (events.size() >= memwarden.config().gcEvents()) {
            return -1; // the oldest have been dropped from memwarden's bounded history
        }
        return events.stream()
                .filter(e -> e.pause() && !e.start().plus(e.duration()).isAfter(end))
                .count();
    }

    private static void leakStep() {
        RETAINED.add(new byte[CHUNK]);
    }

    private static String topSuspect(LeakReport report) {
        return report.suspects().isEmpty()
                ? "live set only"
                : report.suspects().get(0).kind() + " "
                        + report.suspects().get(0).name();
    }

    /** Whether some suspect's allocation stack runs through the method that leaks. */
    private static boolean allocatedInLeakStep(LeakReport report) {
        return report.suspects().stream()
                .map(LeakReport.Suspect::allocationStack)
                .filter(java.util.Objects::nonNull)
                .flatMap(List::stream)
                .anyMatch(frame -> frame.contains("LeakingService.leakStep"));
    }
}
