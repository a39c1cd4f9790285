/**
 * What the leak detector reports: {@link dev.memwarden.leak.LeakReport}, its verdict and its suspects, and their
 * JSON. {@code Memwarden.leakReport()} gives the latest.
 */
@NullMarked
package dev.memwarden.leak;

import org.jspecify.annotations.NullMarked;
