package dev.memwarden.bounded;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A structure that can describe itself to a {@link ResourceRegistry}. Every memwarden primitive is one. */
public interface Tracked {
    /** The current state; called on the sampler thread, so it must be cheap and must not block. */
    State describe();

    /**
     * What a bounded or watched structure reports about itself at one moment.
     *
     * @param size elements held now
     * @param capacity the bound, absent for a watched structure that has none
     * @param estimatedBytes memory held, where the structure knows it (a cache with a byte weigher)
     * @param counters monotonic counts such as {@code dropped}, {@code evicted}, {@code rejected}
     * @param growthSite where the structure last crossed its warning line (listeners per event, live timers per name):
     *     the stack of the call that did, frames as {@code class.method:line}, the structure's own left out; usually the
     *     leak, since what is never removed soon outnumbers the rest. Empty where it has no such line or has not crossed it
     */
    record State(
            String name,
            Kind kind,
            long size,
            OptionalLong capacity,
            OptionalLong estimatedBytes,
            Map<String, Long> counters,
            List<String> growthSite) {

        public State {
            counters = Map.copyOf(counters);
            growthSite = List.copyOf(growthSite);
        }

        /** A structure without a warning line, or that has not crossed it. */
        public State(
                String name,
                Kind kind,
                long size,
                OptionalLong capacity,
                OptionalLong estimatedBytes,
                Map<String, Long> counters) {
            this(name, kind, size, capacity, estimatedBytes, counters, List.of());
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
}
