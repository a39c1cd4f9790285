/**
 * Not API: the leak detector's engine. {@link dev.memwarden.internal.leak.LeakDetector} orchestrates one
 * package-private unit per layer; the facade runs it and users read its {@link dev.memwarden.leak.LeakReport}.
 */
@NullMarked
package dev.memwarden.internal.leak;

import org.jspecify.annotations.NullMarked;
