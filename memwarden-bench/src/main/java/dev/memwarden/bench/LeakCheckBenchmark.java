package dev.memwarden.bench;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.internal.leak.LeakDetector;
import dev.memwarden.internal.telemetry.GcMonitor;
import dev.memwarden.internal.telemetry.MemorySampler;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.TimelineStore;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The cost of one leak check (layers 1 to 3; histograms off, as they are taken only on suspicion) over a full
 * 30-minute window: a timeline filled with an hour of real samples at 1 s, and {@code resources} registered
 * structures with their history. Run with {@code -prof gc} for bytes per check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeakCheckBenchmark {
    @Param({"0", "32"})
    public int resources;

    private GcMonitor gcMonitor;
    private MemorySampler sampler;
    private SampleBuffer latest;
    private LeakDetector detector;
    private final List<List<Integer>> watched = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        AtomicLong now = new AtomicLong(Instant.parse("2026-11-23T00:00:00Z").toEpochMilli());
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        gcMonitor = GcMonitor.start(256, clock);
        sampler = MemorySampler.create(clock, gcMonitor);
        TimelineStore timeline = TimelineStore.create(Timeline.Tier.DEFAULTS);
        ResourceRegistry registry = ResourceRegistry.create(Timeline.Tier.DEFAULTS, 64);
        for (int r = 0; r < resources; r++) {
            List<Integer> list = new ArrayList<>();
            watched.add(list);
            registry.watch("structure-" + r, list);
        }
        latest = sampler.newBuffer();
        for (int s = 0; s < 3600; s++) {
            now.addAndGet(1000);
            sampler.sample(latest);
            timeline.record(latest);
            for (List<Integer> list : watched) {
                list.add(s);
            }
            registry.sample(latest.takenAtMillis());
        }
        detector =
                new LeakDetector(timeline, registry, Duration.ofMinutes(30), 12, null, LeakDetector.SiteRecording.OFF);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sampler.close();
        gcMonitor.close();
    }

    @Benchmark
    public LeakReport check() {
        return detector.check(latest);
    }
}
