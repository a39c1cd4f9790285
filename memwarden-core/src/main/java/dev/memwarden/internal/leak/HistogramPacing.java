package dev.memwarden.internal.leak;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When the next class histogram is due. Each one is a full GC with the JVM stopped, so they come at the set interval
 * unless something waits for them:
 *
 * <ul>
 *   <li>a rise of the live set, which three histograms must confirm: they come a quarter of its span apart, no closer
 *       than {@link #FASTEST}; an urgent rise's a 24th of the time the heap has left, no closer than {@link
 *       #URGENT_FASTEST}. Each histogram in a row that did not confirm a rise doubles the spacing, up to the interval:
 *       the climb of a sawtooth shows as a rise again and again.
 *   <li>a growing structure whose entries no class has been named for: three at {@link #FASTEST}, then twice as far
 *       for each that named nothing, up to the interval. A structure that grows by a few entries a minute shows no
 *       class growth over seconds; at the interval, naming what it holds would take two of them.
 * </ul>
 *
 * <p>Attempts are paced, not only successes: a histogram that fails must not be retried at every check. Used under the
 * detector's lock.
 */
final class HistogramPacing {
    /** The closest histograms come while a rise or a structure waits for them. */
    static final Duration FASTEST = Duration.ofSeconds(5);

    /** The closest histograms ever come, for a rise that exhausts the heap within seconds. */
    static final Duration URGENT_FASTEST = Duration.ofSeconds(1);

    private final long intervalMillis;
    private long paceMillis;
    private long lastAttempt = Long.MIN_VALUE;
    private boolean risePending;
    private boolean namingPending;
    private int namingTakes;
    private int refutations;

    HistogramPacing(Duration interval) {
        this.intervalMillis = interval.toMillis();
        this.paceMillis = intervalMillis;
    }

    long paceMillis() {
        return paceMillis;
    }

    long intervalMillis() {
        return intervalMillis;
    }

    /** Whether a histogram may be taken at {@code at}. */
    boolean due(long at) {
        return lastAttempt == Long.MIN_VALUE || at - lastAttempt >= paceMillis;
    }

    void attempted(long at) {
        lastAttempt = at;
    }

    boolean attemptedAt(long at) {
        return lastAttempt == at;
    }

    /** Whether something waits for a histogram that is due now: then the next check is, too. */
    boolean wantsCheck(long at) {
        return (risePending || namingPending) && due(at);
    }

    boolean risePending() {
        return risePending;
    }

    /**
     * Sets the pace for this check's rise, or the interval if the live set does not rise; a growing structure that
     * still waits for a class keeps the naming pace.
     */
    void paceFor(@Nullable Rise rise, boolean urgent, long secondsLeft, boolean structureGrows) {
        paceMillis = rise == null ? intervalMillis : risePace(rise, urgent, secondsLeft);
        if (structureGrows && namingPending) {
            paceMillis = Math.min(paceMillis, namingPace());
        }
    }

    /**
     * How far apart histograms come while a rise waits for them. Never so close that three of them could not show
     * {@link ClassGrowth#MIN_VERIFIED_GROWTH} at the rise's slope, up to half its span: a slow leak, checked often,
     * would otherwise be refuted by every set of three, each a full GC.
     */
    private long risePace(Rise rise, boolean urgent, long secondsLeft) {
        long pace = Math.min(intervalMillis, Math.max(FASTEST.toMillis(), rise.scaleMillis() / 4));
        if (urgent) {
            // The three that confirm it span a twelfth of the time left.
            pace = Math.min(pace, Math.max(URGENT_FASTEST.toMillis(), secondsLeft * 1000 / 24));
        }
        pace = Math.min(intervalMillis, pace << Math.min(refutations, 20));
        double measurable = ClassGrowth.MIN_VERIFIED_GROWTH / 2.0 / rise.trend().slope();
        return Math.max(pace, (long) Math.min(measurable, rise.scaleMillis() / 2.0));
    }

    private long namingPace() {
        int doublings = Math.min(20, Math.max(0, namingTakes - 2));
        return Math.min(intervalMillis, FASTEST.toMillis() << doublings);
    }

    /** Whether a growing structure waits for a class to be named after this check at {@code to}. */
    void naming(boolean pending, long to) {
        namingPending = pending;
        namingTakes = pending ? namingTakes + (attemptedAt(to) ? 1 : 0) : 0;
        if (pending) {
            paceMillis = Math.min(paceMillis, namingPace());
        }
    }

    /**
     * Records how this check at {@code to} ended for the live set: a rise confirmed, a rise still pending (refuted
     * once more if this check's histogram was one of a full set), or quiet. Returns true when the live set has been
     * quiet for a whole interval: its episode is over, and the next rise is judged afresh.
     */
    boolean settle(boolean liveSetRises, boolean heapLeak, long to, int episodeHistograms) {
        risePending = liveSetRises && !heapLeak;
        if (heapLeak) {
            refutations = 0;
        } else if (risePending && attemptedAt(to) && episodeHistograms >= 3) {
            refutations++;
        } else if (!liveSetRises && to - lastAttempt >= intervalMillis) {
            refutations = 0;
            return true;
        }
        return false;
    }
}
