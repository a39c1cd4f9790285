package dev.memwarden.telemetry;

import java.util.OptionalLong;

/**
 * A maximum that is either a number of bytes (or items) or unlimited. A maximum the platform does not report at
 * all is not a {@code Limit} but an absent value.
 */
public final class Limit {
    private static final Limit UNLIMITED = new Limit(Long.MAX_VALUE);

    private final long value;

    private Limit(long value) {
        this.value = value;
    }

    public static Limit of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a limit is zero or more, not " + value);
        }
        return value == Long.MAX_VALUE ? UNLIMITED : new Limit(value);
    }

    public static Limit unlimited() {
        return UNLIMITED;
    }

    public boolean isUnlimited() {
        return value == Long.MAX_VALUE;
    }

    /** The limit, or empty when unlimited. */
    public OptionalLong value() {
        return isUnlimited() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Encodes the limit in a sample column, where {@code Long.MAX_VALUE} stands for unlimited. */
    long raw() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limit other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : Long.toString(value);
    }
}
