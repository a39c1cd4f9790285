package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Cache;
import dev.memwarden.telemetry.Timeline;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CachesTest {
    private final ResourceRegistry registry = ResourceRegistry.create(Timeline.Tier.DEFAULTS, 8);

    @Test
    void aByteBoundedCacheHoldsItsBoundAndReportsItsWeight() {
        Cache<String, byte[]> cache = Caches.<String, byte[]>builder("thumbnails")
                .maximumBytes(1 << 20, Caches.Weighers.entry(Caches.Weighers::string, Caches.Weighers::bytes))
                .registry(registry)
                .build();

        for (int i = 0; i < 1000; i++) {
            cache.put("key-" + i, new byte[10_000]);
        }
        cache.cleanUp();

        Tracked.State described = registry.resource("thumbnails").orElseThrow();
        assertThat(described.kind()).isEqualTo(Tracked.State.Kind.CACHE);
        assertThat(described.estimatedBytes().getAsLong()).isLessThanOrEqualTo(1 << 20);
        // Each entry weighs about 10 KB, so about 100 fit.
        assertThat(described.size()).isBetween(90L, 105L);
        assertThat(described.counter("evictions")).isEqualTo(1000 - described.size());
        assertThat(described.capacity()).isEmpty();
    }

    @Test
    void anEntryBoundedCacheHoldsItsBound() {
        Cache<Integer, String> cache = Caches.<Integer, String>builder("sessions")
                .maximumEntries(100)
                .registry(registry)
                .build();
        for (int i = 0; i < 10_000; i++) {
            cache.put(i, "v" + i);
        }
        cache.cleanUp();
        assertThat(cache.estimatedSize()).isEqualTo(100);
        assertThat(registry.resource("sessions").orElseThrow().capacity()).hasValue(100);
    }

    @Test
    void concurrentWritersCannotPushItPastTheBound() throws Exception {
        Cache<String, String> cache = Caches.<String, String>builder("concurrent")
                .maximumBytes(256 << 10, Caches.Weighers.entry(Caches.Weighers::string, Caches.Weighers::string))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    cache.put(thread + "-" + i, "x".repeat(100));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        cache.cleanUp();
        long weighted = cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
        assertThat(weighted).isLessThanOrEqualTo(256 << 10);
    }

    @Test
    void expiryRemovesIdleEntries() {
        Cache<String, String> cache = Caches.<String, String>builder("idle")
                .maximumEntries(10)
                .expireAfterWrite(Duration.ofMillis(50))
                .build();
        cache.put("a", "b");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            cache.cleanUp();
            return cache.getIfPresent("a") == null;
        });
    }

    @Test
    void theRegistryDoesNotKeepACacheAlive() {
        WeakReference<Cache<String, String>> ref = buildAndDrop();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return ref.get() == null;
        });
        assertThat(registry.resource("dropped")).isEmpty();
    }

    private WeakReference<Cache<String, String>> buildAndDrop() {
        Cache<String, String> cache = Caches.<String, String>builder("dropped")
                .maximumEntries(10)
                .registry(registry)
                .build();
        cache.put("k", "v");
        return new WeakReference<>(cache);
    }

    @Test
    void weighersFollowTheLayoutModel() {
        assertThat(Caches.Weighers.bytes(new byte[0])).isEqualTo(16);
        assertThat(Caches.Weighers.bytes(new byte[9])).isEqualTo(32);
        assertThat(Caches.Weighers.string("abc")).isEqualTo(24 + 24);
        assertThat(Caches.Weighers.string("\u00e9t\u00e9")).isEqualTo(24 + 24);
        assertThat(Caches.Weighers.string("\u4e2d\u6587\u5b57")).isEqualTo(24 + 24);
        assertThat(Caches.Weighers.string("\u4e2d".repeat(8))).isEqualTo(24 + 32);
        assertThat(Caches.Weighers.strings(List.of("a", "b"))).isEqualTo(24 + 24 + 2 * (24 + 24));
    }

    @Test
    void aCacheNeedsExactlyOneBound() {
        assertThatThrownBy(() -> Caches.<String, String>builder("none").build())
                .hasMessageContaining("needs exactly one bound");
        assertThatThrownBy(() -> Caches.<String, String>builder("both")
                        .maximumEntries(1)
                        .maximumBytes(100, Caches.Weighers.entry(Caches.Weighers::string, Caches.Weighers::string))
                        .build())
                .hasMessageContaining("needs exactly one bound");
    }
}
