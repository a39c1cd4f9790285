package dev.memwarden.internal.leak;

import dev.memwarden.alert.Alert;
import dev.memwarden.alert.AlertSink;
import dev.memwarden.dump.DumpAnalyzer;
import dev.memwarden.dump.HeapDumps;
import dev.memwarden.leak.LeakReport;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One heap dump when a heap leak is first CONFIRMED, handed to the analyzer plugged in, and the holders it names,
 * which the detector puts first in its reports until the verdict goes back to NONE. A leak outside the heap takes no
 * dump: the heap does not hold it. One dump an episode, on a thread started for it (no thread waits at idle), and
 * {@link HeapDumps}' rate limit and disk reserve still apply.
 */
public final class DumpOnConfirmed implements AlertSink {
    private static final System.Logger LOG = System.getLogger(DumpOnConfirmed.class.getName());

    /** The holders a report shows: the largest few are the ones worth a person's time. */
    static final int MAX_HOLDERS = 3;

    private final Supplier<HeapDumps.Result> dump;
    private final @Nullable DumpAnalyzer analyzer;
    private volatile List<LeakReport.Holder> holders = List.of();
    private boolean dumpedThisEpisode;
    private @Nullable Thread working;

    /**
     * @param dump takes a heap dump, {@link HeapDumps#capture()}
     * @param analyzer names the holders in it; null to keep the dump for a person to analyze
     */
    public DumpOnConfirmed(Supplier<HeapDumps.Result> dump, @Nullable DumpAnalyzer analyzer) {
        this.dump = dump;
        this.analyzer = analyzer;
    }

    /** The holders the last dump of this episode named; empty before its analysis ends and after the episode. */
    public List<LeakReport.Holder> holders() {
        return holders;
    }

    @Override
    public synchronized void accept(Alert alert) {
        if (!(alert instanceof Alert.Leak leak)) {
            return;
        }
        LeakReport report = leak.report();
        if (report.verdict() == LeakReport.Verdict.NONE) {
            dumpedThisEpisode = false;
            holders = List.of();
        } else if (report.verdict() == LeakReport.Verdict.CONFIRMED && !dumpedThisEpisode && inTheHeap(report)) {
            dumpedThisEpisode = true;
            Thread thread = new Thread(this::dumpAndAnalyze, "memwarden-leak-dump");
            thread.setDaemon(true);
            working = thread;
            thread.start();
        }
    }

    /** Whether a suspect is held in the heap: anything but a resource outside it. */
    private static boolean inTheHeap(LeakReport report) {
        return report.suspects().stream().anyMatch(s -> s.kind() != LeakReport.Kind.OFF_HEAP);
    }

    private void dumpAndAnalyze() {
        HeapDumps.Result result;
        try {
            result = dump.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "memwarden: no heap dump for the confirmed leak: " + e);
            return;
        }
        if (result instanceof HeapDumps.Refused refused) {
            LOG.log(System.Logger.Level.WARNING, "memwarden: no heap dump for the confirmed leak: " + refused.reason());
            return;
        }
        HeapDumps.Captured captured = (HeapDumps.Captured) result;
        DumpAnalyzer named = analyzer;
        if (named == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "memwarden: heap dump of the confirmed leak at " + captured.file()
                            + "; no analyzer is plugged in: analyze it with memwarden-hprof");
            return;
        }
        try {
            List<LeakReport.Holder> found = named.holders(captured.file());
            synchronized (this) {
                if (dumpedThisEpisode) {
                    holders = found.stream().limit(MAX_HOLDERS).toList();
                }
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "memwarden: the heap dump of the confirmed leak at " + captured.file() + " names "
                            + (found.isEmpty() ? "no holder" : found.get(0).name()));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "memwarden: analyzing " + captured.file() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops an analysis under way; the analyzer ends what it started when interrupted. */
    @Override
    public synchronized void close() {
        Thread thread = working;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
