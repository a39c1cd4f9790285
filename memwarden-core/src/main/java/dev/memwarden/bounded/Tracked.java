package dev.memwarden.bounded;

/** A structure that can describe itself to a {@link ResourceRegistry}. Every memwarden primitive is one. */
public interface Tracked {
    /** The current state; called on the sampler thread, so it must be cheap and must not block. */
    TrackedResource describe();
}
