package dev.memwarden.internal.leak;

import java.time.Duration;

/**
 * The live set's rise in one episode: where it shows from at the earliest, and when and over which span it was first
 * seen. Layer 5 weighs its samples by how long the live set has risen (a leak holds objects from all through the
 * rise, a service's bounded churn only young ones); CONFIRMED needs the rise to have outlasted the span it first
 * showed in. Used under the detector's lock.
 */
final class RiseEpisode {
    private long beganAt = Long.MIN_VALUE;
    private long firstSeenAt;
    private long firstSpanMillis;

    /** Takes in a rise seen by the check at {@code at}. */
    void saw(Rise rise, long at) {
        if (beganAt == Long.MIN_VALUE) {
            beganAt = rise.beganAt();
            firstSeenAt = at;
            firstSpanMillis = rise.scaleMillis();
        }
        beganAt = Math.min(beganAt, rise.beganAt());
    }

    void end() {
        beganAt = Long.MIN_VALUE;
    }

    /** How long the live set has risen by {@code to}; zero outside an episode. */
    Duration risingFor(long to) {
        return beganAt == Long.MIN_VALUE ? Duration.ZERO : Duration.ofMillis(Math.max(0, to - beganAt));
    }

    /**
     * Whether the rise went on, since it was first seen, for as long as the span it first showed in and at least
     * {@link LeakDetector#SETTLED}: past what a cache filling or a batch being loaded explains. A rise that stopped
     * still shows for a while over longer spans, so the span it first showed in must still rise now. A rise all
     * through the window has lasted long enough, however late it was first seen.
     */
    boolean outlastedItsSpan(LiveSetTrend liveSet, long to, double heapMax, long windowMillis, int slices) {
        long lasted = Math.min(Math.max(firstSpanMillis, LeakDetector.SETTLED.toMillis()), windowMillis);
        boolean goesOn = beganAt != Long.MIN_VALUE
                && to - firstSeenAt >= lasted - firstSpanMillis / slices
                && liveSet.risesOver(firstSpanMillis, to, heapMax);
        return goesOn || liveSet.risesAllThroughTheWindow(to, heapMax);
    }
}
