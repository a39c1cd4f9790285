package dev.memwarden.internal.leak;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * When memwarden loaded classes for its histograms, recordings and alerts, how many, and the metaspace they took where
 * it was measured, oldest first. The first of each loads tens to hundreds of classes (the JFR parser's, the alert
 * sinks' logging; a recording started on suspicion, about 700 and 3 MB of metaspace), which must neither keep start-up
 * going nor read as the service's class loading or metaspace growth within the window. Past {@value #KEPT} loads, the
 * oldest two merge. Thread-safe: the checking thread notes loads while a gathering thread may add its own.
 */
final class OwnClassLoads {
    static final int KEPT = 64;

    private final LongSupplier totalLoaded;
    private final LongSupplier metaspaceUsed;
    private final long[] times = new long[KEPT];
    private final long[] counts = new long[KEPT];

    /** The metaspace each load took, measured around it; -1 where it was not measured. */
    private final long[] bytes = new long[KEPT];

    private int size;

    /** @param totalLoaded the JVM's count of classes loaded since it started */
    OwnClassLoads(LongSupplier totalLoaded) {
        this(totalLoaded, () -> -1);
    }

    /** @param metaspaceUsed the metaspace in use now, or -1 where the JVM does not say */
    OwnClassLoads(LongSupplier totalLoaded, LongSupplier metaspaceUsed) {
        this.totalLoaded = totalLoaded;
        this.metaspaceUsed = metaspaceUsed;
    }

    /**
     * Runs an action of memwarden's and counts the classes loaded meanwhile as its own, noted at {@code at}. An action
     * that fails notes nothing: it is not repeated soon.
     */
    <T> T during(Instant at, Supplier<T> action) {
        long before = totalLoaded.getAsLong();
        long metaspaceBefore = metaspaceUsed.getAsLong();
        T result = action.get();
        long metaspaceAfter = metaspaceUsed.getAsLong();
        boolean measured = metaspaceBefore >= 0 && metaspaceAfter >= 0;
        note(at, totalLoaded.getAsLong() - before, measured ? Math.max(0, metaspaceAfter - metaspaceBefore) : -1);
        return result;
    }

    /** Counts classes memwarden loaded elsewhere, whose metaspace was not measured. */
    void note(Instant at, long loaded) {
        note(at, loaded, -1);
    }

    private synchronized void note(Instant at, long loaded, long metaspace) {
        if (loaded <= 0) {
            return;
        }
        if (size == KEPT) {
            // Between the two, the earlier one's classes count as the service's, which matters only where 64 loads
            // came within a window.
            counts[1] += counts[0];
            bytes[1] = bytes[0] < 0 || bytes[1] < 0 ? -1 : bytes[0] + bytes[1];
            System.arraycopy(times, 1, times, 0, KEPT - 1);
            System.arraycopy(counts, 1, counts, 0, KEPT - 1);
            System.arraycopy(bytes, 1, bytes, 0, KEPT - 1);
            size--;
        }
        times[size] = at.toEpochMilli();
        counts[size] = loaded;
        bytes[size] = metaspace;
        size++;
    }

    synchronized boolean any() {
        return size > 0;
    }

    /**
     * Classes memwarden loaded before {@code millis}, or a little later where old loads merged. A load is noted at
     * the time of the check that made it, after that check's sample: the sample of that time does not hold it.
     */
    synchronized long loadedBefore(long millis) {
        long loaded = 0;
        for (int i = 0; i < size; i++) {
            if (times[i] < millis) {
                loaded += counts[i];
            }
        }
        return loaded;
    }

    /**
     * The metaspace memwarden's classes loaded before {@code millis} took: as measured, or at {@code perClass} each
     * where it was not.
     */
    synchronized double metaspaceBefore(long millis, double perClass) {
        double metaspace = 0;
        for (int i = 0; i < size; i++) {
            if (times[i] < millis) {
                metaspace += bytes[i] >= 0 ? bytes[i] : counts[i] * perClass;
            }
        }
        return metaspace;
    }
}
