package dev.memwarden.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.health.HealthRule;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.Samples;
import dev.memwarden.telemetry.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthEvaluatorTest {
    private static final long T0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    private static final double MAX_HEAP = 1000;

    private final HealthRule heapRule = HealthRule.ratio(
            "heap.live",
            "live heap after GC",
            Metric.LIVE_SET,
            Metric.HEAP_MAX,
            0.05,
            List.of(
                    HealthRule.Threshold.warn(0.75, Duration.ofMinutes(2)),
                    HealthRule.Threshold.critical(0.85, Duration.ofMinutes(5)),
                    HealthRule.Threshold.critical(0.95, Duration.ofSeconds(30))));
    private final HealthEvaluator evaluator = new HealthEvaluator(List.of(heapRule));

    private static SampleBuffer heap(long atSeconds, double liveSet) {
        SampleBuffer buffer = Samples.at(T0 + atSeconds * 1000);
        Samples.with(buffer, Metric.HEAP_MAX, MAX_HEAP);
        return Samples.with(buffer, Metric.LIVE_SET, liveSet);
    }

    /** Feeds one sample a second from {@code from} to {@code to} seconds; returns the transitions. */
    private List<HealthStatus.Transition> hold(long from, long to, double liveSet) {
        List<HealthStatus.Transition> all = new java.util.ArrayList<>();
        for (long s = from; s <= to; s++) {
            all.addAll(evaluator.evaluate(heap(s, liveSet)));
        }
        return all;
    }

    @Test
    void warnOnlyAfterTheValueHeldForItsDuration() {
        assertThat(hold(0, 119, 800)).isEmpty();
        assertThat(evaluator.level()).isEqualTo(Level.OK);

        List<HealthStatus.Transition> transitions = hold(120, 120, 800);

        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo("heap.live");
            assertThat(t.from()).isEqualTo(Level.OK);
            assertThat(t.to()).isEqualTo(Level.WARN);
            assertThat(t.overall()).isEqualTo(Level.WARN);
            assertThat(t.at()).isEqualTo(Instant.ofEpochMilli(T0 + 120_000));
            assertThat(t.reason()).contains("80.0 %").contains("75.0 %").contains("2m");
        });
    }

    @Test
    void aDipBelowTheThresholdRestartsTheHold() {
        hold(0, 100, 800);
        hold(101, 101, 700);
        assertThat(hold(102, 221, 800)).isEmpty();
        assertThat(hold(222, 222, 800)).extracting(HealthStatus.Transition::to).containsExactly(Level.WARN);
    }

    @Test
    void theSevereThresholdEscalatesFasterThanTheSlowCritical() {
        hold(0, 29, 960);
        assertThat(evaluator.level()).isEqualTo(Level.OK);
        assertThat(hold(30, 30, 960)).extracting(HealthStatus.Transition::to).containsExactly(Level.CRITICAL);
        // WARN's 2 minutes later, the level stays CRITICAL.
        assertThat(hold(31, 200, 960)).isEmpty();
    }

    @Test
    void hysteresisKeepsTheLevelUntilTheValueFallsClearlyBelow() {
        hold(0, 120, 800);
        assertThat(evaluator.level()).isEqualTo(Level.WARN);

        // 72 % is below 75 % but within the 5-point margin: still WARN.
        assertThat(hold(121, 200, 720)).isEmpty();
        assertThat(evaluator.level()).isEqualTo(Level.WARN);

        // 69 % clears it.
        assertThat(hold(201, 201, 690)).singleElement().satisfies(t -> assertThat(t.to())
                .isEqualTo(Level.OK));
    }

    @Test
    void statusCarriesValueThresholdSinceAndReason() {
        hold(0, 120, 800);

        HealthStatus status = evaluator.status();

        assertThat(status.level()).isEqualTo(Level.WARN);
        HealthStatus.RuleStatus rule = status.rule("heap.live").orElseThrow();
        assertThat(rule.value()).hasValue(0.8);
        assertThat(rule.threshold()).hasValue(0.75);
        assertThat(rule.since()).contains(Instant.ofEpochMilli(T0 + 120_000));
        assertThat(rule.reason())
                .isEqualTo("live heap after GC at 80.0 % of heap.max, at or above 75.0 % of heap.max for 2m or longer");
    }

    @Test
    void aRuleWhoseLimitIsAbsentOrUnlimitedDoesNotApply() {
        HealthRule rss = HealthRule.ratio(
                "rss.container",
                "process RSS",
                Metric.RSS,
                Metric.CONTAINER_LIMIT,
                0.05,
                List.of(HealthRule.Threshold.warn(0.8, Duration.ZERO)));
        HealthEvaluator rssEvaluator = new HealthEvaluator(List.of(rss));

        SampleBuffer noContainer = Samples.with(Samples.at(T0), Metric.RSS, 900);
        assertThat(rssEvaluator.evaluate(noContainer)).isEmpty();
        SampleBuffer unlimited = Samples.with(Samples.at(T0 + 1000), Metric.RSS, 900);
        Samples.with(unlimited, Metric.CONTAINER_LIMIT, Double.POSITIVE_INFINITY);
        assertThat(rssEvaluator.evaluate(unlimited)).isEmpty();

        HealthStatus.RuleStatus status =
                rssEvaluator.status().rule("rss.container").orElseThrow();
        assertThat(status.level()).isEqualTo(Level.OK);
        assertThat(status.value()).isEmpty();
        assertThat(status.reason()).startsWith("not applicable: no cgroup memory limit");

        SampleBuffer limited = Samples.with(Samples.at(T0 + 2000), Metric.RSS, 900);
        Samples.with(limited, Metric.CONTAINER_LIMIT, 1000);
        assertThat(rssEvaluator.evaluate(limited))
                .extracting(HealthStatus.Transition::to)
                .containsExactly(Level.WARN);
    }

    @Test
    void absoluteRulesAndTheOverallLevelIsTheWorstRule() {
        HealthRule rssSize = HealthRule.absolute(
                "rss.size",
                "process RSS",
                Metric.RSS,
                7_500_000,
                List.of(
                        HealthRule.Threshold.warn(150e6, Duration.ZERO),
                        HealthRule.Threshold.critical(200e6, Duration.ZERO)));
        HealthEvaluator both = new HealthEvaluator(List.of(heapRule, rssSize));

        SampleBuffer sample = heap(0, 100);
        Samples.with(sample, Metric.RSS, 210e6);
        List<HealthStatus.Transition> transitions = both.evaluate(sample);

        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(Level.CRITICAL);
            assertThat(t.reason()).contains("200.3 MiB").contains("190.7 MiB");
        });
        assertThat(both.status().level()).isEqualTo(Level.CRITICAL);
        assertThat(both.status().rule("heap.live").orElseThrow().level()).isEqualTo(Level.OK);
    }
}
