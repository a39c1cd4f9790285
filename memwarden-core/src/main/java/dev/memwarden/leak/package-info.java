/** Leak detection: whether the service leaks, with evidence, and what. Start at {@link dev.memwarden.leak.LeakDetector}. */
@NullMarked
package dev.memwarden.leak;

import org.jspecify.annotations.NullMarked;
