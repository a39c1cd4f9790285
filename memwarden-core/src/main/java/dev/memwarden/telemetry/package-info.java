/**
 * What memwarden reads from the running JVM: {@link dev.memwarden.telemetry.MemorySampler} (MXBeans, /proc,
 * cgroup files), {@link dev.memwarden.telemetry.GcMonitor} (GC notifications, live set after GC) and the
 * fixed-memory history, {@link dev.memwarden.telemetry.Timeline}.
 */
@NullMarked
package dev.memwarden.telemetry;

import org.jspecify.annotations.NullMarked;
