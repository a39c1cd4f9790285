package dev.memwarden.internal.leak;

/**
 * A rise of the live set: the span it shows in, its trend there, and the time of that span's first data.
 *
 * @param scaleMillis the span of the live set's trend that shows the rise
 * @param beganAt epoch millis of the span's first slice with data
 */
record Rise(long scaleMillis, Trend trend, long beganAt) {
    /** When the heap runs out at this trend; {@link Long#MAX_VALUE} if it does not rise or the figures are unknown. */
    static long secondsToExhaustion(double heapMax, double liveNow, Trend trend) {
        if (!Double.isFinite(heapMax) || !Double.isFinite(liveNow) || trend.slope() <= 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.max(0, (heapMax - liveNow) / trend.slope() / 1000);
    }
}
