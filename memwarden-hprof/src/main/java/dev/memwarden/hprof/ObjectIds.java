package dev.memwarden.hprof;

import java.util.Arrays;

/**
 * The identifiers of every object in a dump, sorted, so that an object's index is its rank: the arrays of a {@link
 * HeapGraph} are indexed by it. A lookup is a binary search inside one of about n / 8 buckets that split the range of
 * identifiers evenly; identifiers are addresses, dense enough for that to take a step or two. 8.5 bytes per object.
 */
final class ObjectIds {
    private static final int OBJECTS_PER_BUCKET = 8;

    private final long[] sorted;
    private final long min;
    private final int shift;
    /** Where each bucket starts in {@link #sorted}; one more entry than buckets. */
    private final int[] bucketStart;

    /** Sorts {@code ids} in place and indexes them; a duplicate identifier makes the dump corrupt. */
    ObjectIds(long[] ids) throws CorruptDumpException {
        Arrays.sort(ids);
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) {
                throw new CorruptDumpException(
                        0, "the heap dump", String.format("object 0x%x is dumped twice", ids[i]));
            }
        }
        this.sorted = ids;
        this.min = ids.length == 0 ? 0 : ids[0];
        long span = ids.length == 0 ? 0 : ids[ids.length - 1] - min;
        long buckets = Math.max(1, ids.length / OBJECTS_PER_BUCKET);
        int s = 0;
        // Unsigned: a corrupt dump may hold identifiers at both ends of the long range.
        while (Long.compareUnsigned(span >>> s, buckets) >= 0) {
            s++;
        }
        this.shift = s;
        int bucketCount = (int) (span >>> s) + 1;
        this.bucketStart = new int[bucketCount + 1];
        for (long id : ids) {
            bucketStart[bucket(id) + 1]++;
        }
        for (int b = 0; b < bucketCount; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
    }

    int size() {
        return sorted.length;
    }

    long id(int index) {
        return sorted[index];
    }

    /** The index of an object, or -1 if the dump has no object of that identifier. */
    int indexOf(long id) {
        if (id < min || sorted.length == 0) {
            return -1;
        }
        long b = (id - min) >>> shift;
        if (Long.compareUnsigned(b, bucketStart.length - 1) >= 0) {
            return -1;
        }
        int found = Arrays.binarySearch(sorted, bucketStart[(int) b], bucketStart[(int) b + 1], id);
        return found >= 0 ? found : -1;
    }

    private int bucket(long id) {
        return (int) ((id - min) >>> shift);
    }
}
