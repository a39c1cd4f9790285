package dev.memwarden.alert;

import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets one event per key through per interval and counts the rest, so the next one through can say how many were
 * suppressed. Holds at most {@code maxKeys} keys, forgetting the least recently seen.
 */
final class RateLimiter {
    private final long intervalMillis;
    private final InstantSource clock;
    private final Map<String, long[]> keys;

    RateLimiter(Duration interval, int maxKeys, InstantSource clock) {
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Whether an event for {@code key} may pass now. Returns -1 when it is suppressed, otherwise the number of
     * events suppressed since the last one that passed.
     */
    synchronized long tryAcquire(String key) {
        long now = clock.millis();
        long[] state = keys.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE, 0});
        if (state[0] != Long.MIN_VALUE && now - state[0] < intervalMillis) {
            state[1]++;
            return -1;
        }
        long suppressed = state[1];
        state[0] = now;
        state[1] = 0;
        return suppressed;
    }

    synchronized int size() {
        return keys.size();
    }
}
