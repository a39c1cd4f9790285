package dev.memwarden.internal.leak;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Layer 5's source of allocation-site suspects: the JVM's own recording, or what a test supplies. */
@FunctionalInterface
interface AllocationSource {
    /**
     * Returns the allocation sites that best explain the growth, best first.
     *
     * @param growingClasses the classes layer 4 saw grow, by their Java names ({@code byte[]}, {@code a.B})
     * @param risingFor how long the live set has been rising, zero when it is not: objects that did not live
     *     through half of that are let go again, as a service's bounded churn is, and do not explain the rise
     */
    List<LeakReport.Suspect> suspects(Set<String> growingClasses, Duration risingFor);

    /** A leak of the heap is suspected: a source that records only from then on starts now. */
    default void begin(Instant at) {}

    /** Whether a reading now would say anything: a recording just begun holds too little. */
    default boolean ready(Instant at) {
        return true;
    }
}
