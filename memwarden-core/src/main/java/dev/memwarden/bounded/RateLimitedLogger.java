package dev.memwarden.bounded;

import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link System.Logger} that lets through at most {@code burst} lines per key per {@code period} (a token
 * bucket per key, refilled continuously) and counts the rest; the next line that passes ends with
 * {@code (N similar suppressed)}. For logging from paths that can fail thousands of times a second: a maintenance
 * task, a full queue, a failing sink.
 *
 * <p>Holds at most {@code maxKeys} keys, forgetting the least recently used; a forgotten key starts again with a
 * full bucket. Thread-safe.
 */
public final class RateLimitedLogger {
    private final System.Logger logger;
    private final int burst;
    private final double tokensPerMilli;
    private final InstantSource clock;
    private final Map<String, Bucket> buckets;
    private long totalSuppressed;

    private RateLimitedLogger(Builder builder) {
        this.logger = builder.logger;
        this.burst = builder.burst;
        this.tokensPerMilli =
                builder.period.isZero() ? Double.POSITIVE_INFINITY : builder.burst / (double) builder.period.toMillis();
        this.clock = builder.clock;
        int maxKeys = builder.maxKeys;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    public static Builder builder(System.Logger logger) {
        return new Builder(logger);
    }

    /** Logs unless {@code key} is over its rate; returns whether the line was written. */
    public boolean log(String key, System.Logger.Level level, String message) {
        return log(key, level, () -> message, null);
    }

    /** As {@link #log(String, System.Logger.Level, String)}; the message is only built when it is written. */
    public boolean log(String key, System.Logger.Level level, Supplier<String> message, @Nullable Throwable thrown) {
        long suppressed = acquire(key);
        if (suppressed < 0) {
            return false;
        }
        String text = suppressed == 0 ? message.get() : message.get() + " (" + suppressed + " similar suppressed)";
        if (thrown == null) {
            logger.log(level, text);
        } else {
            logger.log(level, text, thrown);
        }
        return true;
    }

    /** Lines suppressed since creation, all keys. */
    public synchronized long totalSuppressed() {
        return totalSuppressed;
    }

    synchronized int keys() {
        return buckets.size();
    }

    /** -1 when over the rate, else the number suppressed since the last line that passed. */
    private synchronized long acquire(String key) {
        long now = clock.millis();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * tokensPerMilli);
        bucket.refilledAt = now;
        if (bucket.tokens < 1) {
            bucket.suppressed++;
            totalSuppressed++;
            return -1;
        }
        bucket.tokens -= 1;
        long suppressed = bucket.suppressed;
        bucket.suppressed = 0;
        return suppressed;
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;
        long suppressed;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }

    /** Settings for a {@link RateLimitedLogger}; defaults: 1 line per key per minute, 256 keys. */
    public static final class Builder {
        private final System.Logger logger;
        private int burst = 1;
        private Duration period = Duration.ofMinutes(1);
        private int maxKeys = 256;
        private InstantSource clock = InstantSource.system();

        private Builder(System.Logger logger) {
            this.logger = logger;
        }

        /** At most {@code lines} per key in any {@code period}. */
        public Builder rate(int lines, Duration period) {
            if (lines < 1) {
                throw new IllegalArgumentException("a rate lets at least 1 line through, not " + lines);
            }
            if (period.isNegative()) {
                throw new IllegalArgumentException("a rate's period cannot be negative: " + period);
            }
            this.burst = lines;
            this.period = period;
            return this;
        }

        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1 || maxKeys > 1_000_000) {
                throw new IllegalArgumentException("maxKeys is 1 to 1000000, not " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public RateLimitedLogger build() {
            return new RateLimitedLogger(this);
        }
    }
}
