package dev.memwarden.bounded;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Weigher;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Caches bounded in entries or in bytes, built on Caffeine and registered with a {@link ResourceRegistry} so their
 * size and weight are sampled. The fix for the map used as a cache that only ever grows.
 *
 * <pre>{@code
 * Cache<String, byte[]> thumbnails = Caches.<String, byte[]>builder("thumbnails")
 *         .maximumBytes(64 << 20, Weighers.entry(Weighers::string, Weighers::bytes))
 *         .expireAfterAccess(Duration.ofMinutes(30))
 *         .registry(memwarden.resources())
 *         .build();
 * }</pre>
 */
public final class Caches {
    private Caches() {}

    public static <K, V> Builder<K, V> builder(String name) {
        return new Builder<>(name);
    }

    /** Settings for a bounded cache; exactly one of {@code maximumEntries} or {@code maximumBytes} is required. */
    public static final class Builder<K, V> {
        private final String name;
        private long maximumEntries = -1;
        private long maximumBytes = -1;
        private @Nullable Weigher<K, V> weigher;
        private @Nullable Duration expireAfterWrite;
        private @Nullable Duration expireAfterAccess;
        private @Nullable ResourceRegistry registry;

        private Builder(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a cache's name cannot be blank");
            }
            this.name = name;
        }

        public Builder<K, V> maximumEntries(long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("cache '" + name + "': at least 1 entry, not " + entries);
            }
            this.maximumEntries = entries;
            return this;
        }

        /** Bounds the cache by the bytes its entries weigh, as {@code weigher} (see {@link Weighers}) estimates. */
        public Builder<K, V> maximumBytes(long bytes, Weigher<K, V> weigher) {
            if (bytes < 1) {
                throw new IllegalArgumentException("cache '" + name + "': at least 1 byte, not " + bytes);
            }
            this.maximumBytes = bytes;
            this.weigher = weigher;
            return this;
        }

        public Builder<K, V> expireAfterWrite(Duration ttl) {
            this.expireAfterWrite = positive(ttl, "expireAfterWrite");
            return this;
        }

        public Builder<K, V> expireAfterAccess(Duration idle) {
            this.expireAfterAccess = positive(idle, "expireAfterAccess");
            return this;
        }

        private Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("cache '" + name + "': " + what + " must be positive, not " + d);
            }
            return d;
        }

        public Builder<K, V> registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Cache<K, V> build() {
            if ((maximumEntries < 0) == (maximumBytes < 0)) {
                throw new IllegalStateException(
                        "cache '" + name + "' needs exactly one bound: maximumEntries(n) or maximumBytes(n, weigher)");
            }
            Caffeine<Object, Object> caffeine = Caffeine.newBuilder().recordStats();
            if (expireAfterWrite != null) {
                caffeine.expireAfterWrite(expireAfterWrite);
            }
            if (expireAfterAccess != null) {
                caffeine.expireAfterAccess(expireAfterAccess);
            }
            Weigher<K, V> w = weigher;
            Cache<K, V> cache = w != null
                    ? caffeine.maximumWeight(maximumBytes).weigher(w).build()
                    : caffeine.maximumSize(maximumEntries).build();
            if (registry != null) {
                String cacheName = name;
                boolean byBytes = w != null;
                long bound = byBytes ? maximumBytes : maximumEntries;
                registry.watch(name, cache, c -> describe(cacheName, c, byBytes, bound));
            }
            return cache;
        }
    }

    /** What a registry samples: entries, the bound, the weighted bytes when bounded by bytes, and the stats. */
    static Tracked.State describe(String name, Cache<?, ?> cache, boolean byBytes, long bound) {
        OptionalLong weighted =
                cache.policy().eviction().map(Policy.Eviction::weightedSize).orElse(OptionalLong.empty());
        CacheStats stats = cache.stats();
        return new Tracked.State(
                name,
                Tracked.State.Kind.CACHE,
                cache.estimatedSize(),
                byBytes ? OptionalLong.empty() : OptionalLong.of(bound),
                byBytes ? weighted : OptionalLong.empty(),
                Map.of(
                        "hits", stats.hitCount(),
                        "misses", stats.missCount(),
                        "evictions", stats.evictionCount(),
                        "evictedBytes", byBytes ? stats.evictionWeight() : 0L));
    }

    /**
     * Byte estimates for the common shapes of cached data, and Caffeine {@link Weigher}s built from them, so a cache
     * can be bounded in bytes rather than entries. Estimates follow HotSpot's layout with compressed oops: 16-byte
     * array headers, 24-byte {@code String}s, sizes rounded up to 8; a UTF-16 string weighs two bytes a character.
     */
    public static final class Weighers {
        /** What a Caffeine bounded-cache node and its map entry cost, besides key and value. */
        static final long ENTRY_OVERHEAD = 64;

        private Weighers() {}

        /** Weighs an entry as its key's bytes plus its value's bytes plus the cache's own per-entry overhead. */
        public static <K, V> Weigher<K, V> entry(
                ToLongFunction<? super K> keyBytes, ToLongFunction<? super V> valueBytes) {
            return (key, value) -> (int) Math.min(
                    Integer.MAX_VALUE, ENTRY_OVERHEAD + keyBytes.applyAsLong(key) + valueBytes.applyAsLong(value));
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
}
