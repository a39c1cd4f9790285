/**
 * Not API: how memwarden samples a JVM (MXBeans, GC notifications, /proc, the cgroup) into preallocated buffers
 * and records them in the {@link dev.memwarden.internal.telemetry.TimelineStore}.
 */
@NullMarked
package dev.memwarden.internal.telemetry;

import org.jspecify.annotations.NullMarked;
