package dev.memwarden.bounded;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What a bounded or watched structure reports about itself at one moment.
 *
 * @param size elements held now
 * @param capacity the bound, absent for a watched structure that has none
 * @param estimatedBytes memory held, where the structure knows it (a cache with a byte weigher)
 * @param counters monotonic counts such as {@code dropped}, {@code evicted}, {@code rejected}
 */
public record TrackedResource(
        String name,
        Kind kind,
        long size,
        OptionalLong capacity,
        OptionalLong estimatedBytes,
        Map<String, Long> counters) {

    public TrackedResource {
        counters = Map.copyOf(counters);
    }

    /** What sort of structure it is. */
    public enum Kind {
        RING_BUFFER,
        QUEUE,
        CACHE,
        CLIENTS,
        TIMERS,
        LISTENERS,
        TRACKER,
        WATCHED
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
