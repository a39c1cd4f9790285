package dev.memwarden.internal.leak;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * When memwarden loaded classes for its histograms, recordings and alerts, and how many, oldest first. The first
 * of each loads tens to hundreds of classes (the JFR parser's, the alert sinks' logging), which must neither keep
 * start-up going nor read as the service's class loading within the window. Past {@value #KEPT} loads, the oldest
 * two merge. Thread-safe: the checking thread notes loads while a gathering thread may add its own.
 */
final class OwnClassLoads {
    static final int KEPT = 64;

    private final LongSupplier totalLoaded;
    private final long[] times = new long[KEPT];
    private final long[] counts = new long[KEPT];
    private int size;

    /** @param totalLoaded the JVM's count of classes loaded since it started */
    OwnClassLoads(LongSupplier totalLoaded) {
        this.totalLoaded = totalLoaded;
    }

    /**
     * Runs an action of memwarden's and counts the classes loaded meanwhile as its own, noted at {@code at}. An action
     * that fails notes nothing: it is not repeated soon.
     */
    <T> T during(Instant at, Supplier<T> action) {
        long before = totalLoaded.getAsLong();
        T result = action.get();
        note(at, totalLoaded.getAsLong() - before);
        return result;
    }

    synchronized void note(Instant at, long loaded) {
        if (loaded <= 0) {
            return;
        }
        if (size == KEPT) {
            // Between the two, the earlier one's classes count as the service's, which matters only where 64 loads
            // came within a window.
            counts[1] += counts[0];
            System.arraycopy(times, 1, times, 0, KEPT - 1);
            System.arraycopy(counts, 1, counts, 0, KEPT - 1);
            size--;
        }
        times[size] = at.toEpochMilli();
        counts[size] = loaded;
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
}
