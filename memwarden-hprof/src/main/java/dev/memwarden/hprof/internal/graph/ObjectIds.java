package dev.memwarden.hprof.internal.graph;

import dev.memwarden.hprof.CorruptDumpException;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * The identifiers of every object in a dump, sorted, so that an object's index is its rank: the arrays of a {@link
 * HeapGraph} are indexed by it. A lookup is a binary search inside one of about n / 8 buckets that split the range of
 * identifiers evenly; identifiers are addresses, dense enough for that to take a step or two. 8.5 bytes per object.
 */
final class ObjectIds {
    private static final int OBJECTS_PER_BUCKET = 8;
    /** How many identifiers a spilled array is sorted by on the heap at a time, before the runs are merged. */
    private static final int RUN = 1 << 22;

    private final LongBuffer sorted;
    private final long min;
    private final int shift;
    /** Where each bucket starts in {@link #sorted}; one more entry than buckets. */
    private final int[] bucketStart;

    /** Sorts {@code ids} in place and indexes them; a duplicate identifier makes the dump corrupt. */
    ObjectIds(LongBuffer unsorted, IndexMemory memory) throws CorruptDumpException {
        LongBuffer ids = sort(unsorted, memory);
        int n = ids.capacity();
        for (int i = 1; i < n; i++) {
            if (ids.get(i) == ids.get(i - 1)) {
                throw new CorruptDumpException(
                        0, "the heap dump", String.format("object 0x%x is dumped twice", ids.get(i)));
            }
        }
        this.sorted = ids;
        this.min = n == 0 ? 0 : ids.get(0);
        long span = n == 0 ? 0 : ids.get(n - 1) - min;
        long buckets = Math.max(1, n / OBJECTS_PER_BUCKET);
        int s = 0;
        // Unsigned: a corrupt dump may hold identifiers at both ends of the long range.
        while (Long.compareUnsigned(span >>> s, buckets) >= 0) {
            s++;
        }
        this.shift = s;
        int bucketCount = (int) (span >>> s) + 1;
        this.bucketStart = new int[bucketCount + 1];
        for (int i = 0; i < n; i++) {
            bucketStart[bucket(ids.get(i)) + 1]++;
        }
        for (int b = 0; b < bucketCount; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
    }

    /**
     * The identifiers in ascending order, in place on the heap. Spilled, runs are sorted on the heap and merged
     * pairwise between two files; a dump written in address order, as HotSpot's usually are, is only checked.
     */
    private static LongBuffer sort(LongBuffer ids, IndexMemory memory) {
        int n = ids.capacity();
        if (ids.hasArray()) {
            Arrays.sort(ids.array(), ids.arrayOffset(), ids.arrayOffset() + n);
            return ids;
        }
        boolean inOrder = true;
        for (int i = 1; i < n && inOrder; i++) {
            inOrder = ids.get(i - 1) <= ids.get(i);
        }
        if (inOrder) {
            return ids;
        }
        long[] run = new long[Math.min(n, RUN)];
        for (int from = 0; from < n; from += RUN) {
            int length = Math.min(RUN, n - from);
            ids.get(from, run, 0, length);
            Arrays.sort(run, 0, length);
            ids.put(from, run, 0, length);
        }
        LongBuffer source = ids;
        LongBuffer target = memory.longs(n);
        for (long width = RUN; width < n; width *= 2) {
            for (long low = 0; low < n; low += 2 * width) {
                merge(source, (int) low, (int) Math.min(low + width, n), (int) Math.min(low + 2 * width, n), target);
            }
            LongBuffer merged = target;
            target = source;
            source = merged;
        }
        memory.release(target);
        return source;
    }

    /** Merges the sorted ranges [low, middle) and [middle, high) of {@code from} into the same range of {@code to}. */
    private static void merge(LongBuffer from, int low, int middle, int high, LongBuffer to) {
        int i = low;
        int j = middle;
        for (int k = low; k < high; k++) {
            if (j >= high || (i < middle && from.get(i) <= from.get(j))) {
                to.put(k, from.get(i++));
            } else {
                to.put(k, from.get(j++));
            }
        }
    }

    int size() {
        return sorted.capacity();
    }

    long id(int index) {
        return sorted.get(index);
    }

    /** The index of an object, or -1 if the dump has no object of that identifier. */
    int indexOf(long id) {
        if (id < min || sorted.capacity() == 0) {
            return -1;
        }
        long b = (id - min) >>> shift;
        if (Long.compareUnsigned(b, bucketStart.length - 1) >= 0) {
            return -1;
        }
        int low = bucketStart[(int) b];
        int high = bucketStart[(int) b + 1] - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long value = sorted.get(middle);
            if (value < id) {
                low = middle + 1;
            } else if (value > id) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private int bucket(long id) {
        return (int) ((id - min) >>> shift);
    }
}
