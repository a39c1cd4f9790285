package dev.memwarden.bounded;

import com.github.benmanes.caffeine.cache.Weigher;
import java.util.Collection;
import java.util.function.ToLongFunction;

/**
 * Byte estimates for the common shapes of cached data, and Caffeine {@link Weigher}s built from them, so a cache
 * can be bounded in bytes rather than entries. Estimates follow HotSpot's layout with compressed oops: 16-byte
 * array headers, 24-byte {@code String}s, sizes rounded up to 8; a UTF-16 string weighs two bytes a character.
 */
public final class Weighers {
    /** What a Caffeine bounded-cache node and its map entry cost, besides key and value. */
    static final long ENTRY_OVERHEAD = 64;

    private Weighers() {}

    /** Weighs an entry as its key's bytes plus its value's bytes plus the cache's own per-entry overhead. */
    public static <K, V> Weigher<K, V> entry(ToLongFunction<? super K> keyBytes, ToLongFunction<? super V> valueBytes) {
        return (key, value) -> (int)
                Math.min(Integer.MAX_VALUE, ENTRY_OVERHEAD + keyBytes.applyAsLong(key) + valueBytes.applyAsLong(value));
    }

    public static long bytes(byte[] array) {
        return align(16 + (long) array.length);
    }

    public static long string(String s) {
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        return 24 + align(16 + (long) s.length() * (latin1 ? 1 : 2));
    }

    /** A collection of strings, counting the collection as an array of references (an ArrayList, roughly). */
    public static long strings(Collection<String> strings) {
        long total = align(16 + 4L * strings.size()) + 24;
        for (String s : strings) {
            total += string(s);
        }
        return total;
    }

    public static long byteArrays(Collection<byte[]> arrays) {
        long total = align(16 + 4L * arrays.size()) + 24;
        for (byte[] array : arrays) {
            total += bytes(array);
        }
        return total;
    }

    /** For keys or values that are small fixed-size objects (boxed numbers, UUIDs): a flat estimate. */
    public static <T> ToLongFunction<T> fixed(long bytes) {
        return ignored -> bytes;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
