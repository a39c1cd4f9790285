package dev.memwarden.alert;

/**
 * Receives alerts. Called on memwarden's sampler thread, so an implementation must return quickly: hand slow work
 * (network, disk) to a queue of its own, as the built-in webhook sink does. A sink that throws is logged and
 * skipped; the others still receive the alert.
 */
@FunctionalInterface
public interface AlertSink extends AutoCloseable {
    void accept(Alert alert);

    /** Releases what the sink holds; memwarden calls it when it closes. */
    @Override
    default void close() {}
}
