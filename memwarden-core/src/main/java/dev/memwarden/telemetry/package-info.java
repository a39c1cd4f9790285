/**
 * What memwarden reads from the running JVM, as a user reads it: a {@link dev.memwarden.telemetry.MemorySnapshot}
 * of the latest sample, the {@link dev.memwarden.telemetry.Metric}s it holds, the fixed-memory history in the
 * {@link dev.memwarden.telemetry.Timeline}, and the {@link dev.memwarden.telemetry.GcEvent}s.
 */
@NullMarked
package dev.memwarden.telemetry;

import org.jspecify.annotations.NullMarked;
