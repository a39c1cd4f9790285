package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up gate alone: a 10-minute window in 12 slices, a sample a second. */
class StartUpGateTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final TimelineScript script = new TimelineScript();

    private StartUpGate gate(WindowSlicer slicer) {
        return new StartUpGate(slicer, WINDOW.toMillis(), LiveSetTrend.scales(WINDOW, 12));
    }

    @Test
    void startUpLastsWhileClassesLoad() {
        script.with(Metric.CLASSES_LOADED, s -> 2000 + s * 20).run(300);
        assertThat(gate(script.slicer(12)).warmingUp(script.lastMillis())).isTrue();
    }

    @Test
    void startUpEndsOnceLoadingSettledAndItsRampIsNoLongerGrowth() {
        // Classes climb for two minutes, then hold; the live set climbs with them.
        script.with(Metric.CLASSES_LOADED, s -> 2000 + Math.min(s, 120) * 50)
                .with(Metric.LIVE_SET, s -> (50 + Math.min(s, 120)) * TimelineScript.MB)
                .run(300);
        WindowSlicer slicer = script.slicer(12);
        long to = script.lastMillis();
        assertThat(slicer.slice(Metric.LIVE_SET, to - WINDOW.toMillis(), to).first())
                .as("before: the ramp is in the window")
                .isLessThan(100 * TimelineScript.MB);

        StartUpGate gate = gate(slicer);
        assertThat(gate.warmingUp(to)).isFalse();
        assertThat(slicer.slice(Metric.LIVE_SET, to - WINDOW.toMillis(), to).first())
                .as("after: trends start where loading settled")
                .isGreaterThanOrEqualTo(160 * TimelineScript.MB);
    }

    @Test
    void onceOverStartUpIsOverForGood() {
        script.run(120);
        StartUpGate gate = gate(script.slicer(12));
        assertThat(gate.warmingUp(script.lastMillis())).isFalse();

        script.with(Metric.CLASSES_LOADED, s -> 9000 + s * 50).run(120);
        assertThat(gate.warmingUp(script.lastMillis()))
                .as("a class-loader leak is not start-up")
                .isFalse();
    }

    @Test
    void tooFewSamplesAreStillStartUp() {
        script.run(20);
        assertThat(gate(script.slicer(12)).warmingUp(script.lastMillis())).isTrue();
    }

    @Test
    void classLoadingThatNeverSettlesEndsStartUpAfterABoundedTimeAndCountsFromItsFirstMinute() {
        // A class loader per tenant: 20 classes a second, for ever.
        script.with(Metric.CLASSES_LOADED, s -> 2000 + s * 20).run(30);
        WindowSlicer slicer = script.slicer(12);
        StartUpGate gate = gate(slicer);
        long first = script.lastMillis();
        assertThat(gate.warmingUp(first)).isTrue();

        script.run(240);
        assertThat(gate.warmingUp(script.lastMillis())).as("four minutes on").isTrue();

        script.run(60);
        long to = script.lastMillis();
        assertThat(gate.warmingUp(to)).as("five minutes on").isFalse();
        assertThat(slicer.slice(Metric.CLASSES_LOADED, to - WINDOW.toMillis(), to).times[0])
                .as("trends start a minute after the first check")
                .isGreaterThanOrEqualTo(first + 60_000);
    }
}
