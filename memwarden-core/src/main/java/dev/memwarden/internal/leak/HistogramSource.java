package dev.memwarden.internal.leak;

import java.time.Instant;

/** Takes a class histogram; the JVM's own unless a test supplies one. */
@FunctionalInterface
interface HistogramSource {
    GcClassHistogram take(Instant at);
}
