package dev.memwarden.bench;

import dev.memwarden.MemwardenConfig;
import dev.memwarden.internal.health.HealthEvaluator;
import dev.memwarden.internal.telemetry.GcMonitor;
import dev.memwarden.internal.telemetry.MemorySampler;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.TimelineStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one sample: the claim is at most 20 µs median and 1 KB allocated per sample. {@code sample} is the
 * sampler alone; {@code tick} is what the {@code memwarden-sampler} thread does each interval: sample, record in
 * the timeline, evaluate the health rules. Run with {@code -prof gc} for bytes per operation
 * ({@code gc.alloc.rate.norm}).
 *
 * <p>{@code detailRefresh} is how often the slow-moving figures (open descriptors, /proc/self/status, cgroup stat)
 * are re-read: {@code PT5S} is the default; {@code PT0S} re-reads them on every sample, the worst case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SampleBenchmark {
    @Param({"PT5S", "PT0S"})
    public String detailRefresh;

    private GcMonitor gcMonitor;
    private MemorySampler sampler;
    private SampleBuffer buffer;
    private TimelineStore timeline;
    private HealthEvaluator health;

    @Setup(Level.Trial)
    public void setUp() {
        InstantSource clock = InstantSource.system();
        gcMonitor = GcMonitor.start(256, clock);
        sampler = MemorySampler.create(clock, gcMonitor, Duration.parse(detailRefresh));
        buffer = sampler.newBuffer();
        timeline = TimelineStore.create(MemwardenConfig.defaults().timelineTiers());
        health = new HealthEvaluator(MemwardenConfig.defaults().healthRules());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sampler.close();
        gcMonitor.close();
    }

    @Benchmark
    public SampleBuffer sample() {
        sampler.sample(buffer);
        return buffer;
    }

    @Benchmark
    public List<?> tick() {
        sampler.sample(buffer);
        timeline.record(buffer);
        return health.evaluate(buffer);
    }
}
