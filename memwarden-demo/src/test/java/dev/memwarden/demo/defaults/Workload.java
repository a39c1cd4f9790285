package dev.memwarden.demo.defaults;

/**
 * What a service of the defaults scenarios does besides serving: one step every few milliseconds, paced by the time
 * since it started, and how much of the limit it is heading for it has used.
 */
interface Workload {
    /** Thrown when the resource a leak exhausts ran out: what a service would die of. */
    final class LimitReached extends Exception {
        private static final long serialVersionUID = 1L;

        LimitReached(String what, Throwable cause) {
            super(what + ": " + cause, cause);
        }
    }

    /** Does the work due by {@code elapsedMillis} since the service started. */
    void step(long elapsedMillis) throws LimitReached;

    /** The share of its limit the leaking resource uses now, 0 to 1; NaN for a healthy workload or no known limit. */
    double usedShare();

    /** How many items are due by now at {@code perSecond}, given how many were done. */
    static long due(long elapsedMillis, double perSecond, long done) {
        return Math.max(0, (long) (elapsedMillis * perSecond / 1000) - done);
    }
}
