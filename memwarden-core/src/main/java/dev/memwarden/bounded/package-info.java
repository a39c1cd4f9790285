/**
 * Building blocks that bound what usually leaks: ring buffers, bounded queues with an overflow policy, client
 * registries, tracked timers and listeners, and the {@link dev.memwarden.bounded.ResourceRegistry} that samples
 * their sizes (and those of structures put under watch) for the leak detector.
 */
@NullMarked
package dev.memwarden.bounded;

import org.jspecify.annotations.NullMarked;
