package dev.memwarden.internal.lifecycle;

import dev.memwarden.dump.HeapDumps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * Ends a JVM caught in a GC death spiral, after saving the evidence: in the spirit of Netflix's jvmquake, but it
 * diagnoses before it kills. A JVM whose live set has filled its heap can spend nearly all its time in GC for hours,
 * too slow to serve and too alive for the orchestrator to replace it.
 *
 * <p>A deficit bucket measures it: GC pause time adds to the bucket, running time drains it at {@code 1/weight}
 * (weight 5: one second of GC is paid back by five of running). A JVM that spends under {@code 1/(weight+1)} of its
 * time in GC never fills it; one that spends more fills it at the difference. Past {@code limit} the guard takes a
 * JFR snapshot (if JFR runs) and a heap dump (if one is configured and its budget allows), logs one line saying why,
 * and halts the JVM with the configured exit code, so the orchestrator starts a healthy instance.
 *
 * <p>Opt-in: nothing ends a JVM unless {@code memwarden.gc.spiral.limit} is set. Called on every sample by the
 * sampler thread only.
 */
public final class GcSpiralGuard {
    // Named for the public package: operators configure logging by name, and this class is internal.
    private static final System.Logger LOG = System.getLogger("dev.memwarden.lifecycle");

    /** The exit code of a JVM the guard halts: an error, so that orchestrators restart it. */
    public static final int EXIT_CODE = 3;

    private final long limitMillis;
    private final double weight;
    private final Path evidenceDirectory;
    private final @Nullable HeapDumps heapDumps;
    private final int exitCode;
    private final IntConsumer exit;
    private double deficitMillis;
    private long lastWall = -1;
    private long lastGc = -1;
    private boolean fired;

    /**
     * @param limit the GC-time deficit that ends the JVM
     * @param weight how many milliseconds of running pay back one of GC
     * @param evidenceDirectory where the JFR snapshot goes
     * @param heapDumps where a heap dump goes, or null for none
     * @param exit what ends the JVM ({@code Runtime.getRuntime()::halt}); tests pass their own
     */
    public GcSpiralGuard(
            Duration limit,
            double weight,
            Path evidenceDirectory,
            @Nullable HeapDumps heapDumps,
            int exitCode,
            IntConsumer exit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the GC spiral limit must be positive, not " + limit);
        }
        if (!(weight >= 1 && weight <= 100)) {
            throw new IllegalArgumentException("the GC spiral weight is 1 to 100, not " + weight);
        }
        this.limitMillis = limit.toMillis();
        this.weight = weight;
        this.evidenceDirectory = evidenceDirectory;
        this.heapDumps = heapDumps;
        this.exitCode = exitCode;
        this.exit = exit;
    }

    /** The deficit now, in milliseconds of GC not yet paid back by running. */
    public synchronized double deficitMillis() {
        return deficitMillis;
    }

    /**
     * Takes the wall clock and the total GC pause time into account; past the limit, saves the evidence and ends the
     * JVM. Returns whether it fired.
     */
    public synchronized boolean observe(long wallMillis, long gcPauseMillisTotal) {
        if (fired) {
            return true;
        }
        if (lastWall >= 0 && wallMillis > lastWall) {
            long elapsed = wallMillis - lastWall;
            long gc = Math.max(0, Math.min(elapsed, gcPauseMillisTotal - lastGc));
            deficitMillis = Math.max(0, deficitMillis + gc - (elapsed - gc) / weight);
        }
        lastWall = wallMillis;
        lastGc = gcPauseMillisTotal;
        if (deficitMillis <= limitMillis) {
            return false;
        }
        fired = true;
        List<String> saved = saveEvidence(wallMillis);
        LOG.log(
                System.Logger.Level.ERROR,
                String.format(
                        Locale.ROOT,
                        "memwarden: GC death spiral: GC time ran %.1f s ahead of what running pays back (limit %.1f s,"
                                + " weight %.0f); %s; halting with exit code %d so that a healthy instance replaces"
                                + " this one",
                        deficitMillis / 1000,
                        limitMillis / 1000.0,
                        weight,
                        saved.isEmpty() ? "no evidence saved" : "saved " + String.join(" and ", saved),
                        exitCode));
        exit.accept(exitCode);
        return true;
    }

    private List<String> saveEvidence(long wallMillis) {
        List<String> saved = new ArrayList<>();
        if (FlightRecorder.isInitialized()) {
            Path file = evidenceDirectory.resolve(
                    "gc-spiral-" + ProcessHandle.current().pid() + "-" + wallMillis + ".jfr");
            try (Recording snapshot = FlightRecorder.getFlightRecorder().takeSnapshot()) {
                Files.createDirectories(evidenceDirectory);
                snapshot.dump(file);
                saved.add("the JFR recording in " + file);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "memwarden: the JFR snapshot of the GC spiral failed", e);
            }
        }
        HeapDumps dumps = heapDumps;
        if (dumps != null) {
            HeapDumps.Result result = dumps.capture();
            if (result instanceof HeapDumps.Captured captured) {
                saved.add("a heap dump in " + captured.file());
            } else if (result instanceof HeapDumps.Refused refused) {
                saved.add("no heap dump (" + refused.reason() + ")");
            }
        }
        return saved;
    }
}
