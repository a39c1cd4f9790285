package dev.memwarden;

import dev.memwarden.alert.Alert;
import dev.memwarden.alert.AlertSink;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.dump.DumpAnalyzer;
import dev.memwarden.dump.HeapDumps;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.internal.alert.LogAlertSink;
import dev.memwarden.internal.alert.WebhookAlertSink;
import dev.memwarden.internal.health.HealthEvaluator;
import dev.memwarden.internal.leak.DumpOnConfirmed;
import dev.memwarden.internal.leak.LeakDetector;
import dev.memwarden.internal.lifecycle.GcSpiralGuard;
import dev.memwarden.internal.telemetry.GcMonitor;
import dev.memwarden.internal.telemetry.MemorySampler;
import dev.memwarden.internal.telemetry.SampleBuffer;
import dev.memwarden.internal.telemetry.TimelineStore;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.GcEvent;
import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Timeline;
import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * memwarden running in this JVM: it samples memory on one daemon thread, {@code memwarden-sampler}, keeps the
 * history in a fixed-size {@link Timeline}, evaluates the health rules on every sample and sends level changes to
 * the alert sinks.
 *
 * <pre>{@code
 * try (Memwarden memwarden = Memwarden.builder().start()) {
 *     HealthStatus health = memwarden.health();
 *     long liveSet = memwarden.snapshot().liveSet().orElse(-1);
 * }
 * }</pre>
 *
 * <p>{@link #close()} removes every thread and GC listener it added. Thread-safe.
 */
public final class Memwarden implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Memwarden.class.getName());
    private static final ClassLoadingMXBean CLASS_LOADING = ManagementFactory.getClassLoadingMXBean();

    private final MemwardenConfig config;
    private final GcMonitor gcMonitor;
    private final MemorySampler sampler;
    private final TimelineStore timeline;
    private final HealthEvaluator health;
    private final ResourceRegistry resources;
    private final LeakControl leaks;
    private final @Nullable GcSpiralGuard spiral;
    private long lastLeakCheck = Long.MIN_VALUE;
    private final List<AlertSink> sinks;
    private final SampleBuffer working;
    private final SampleBuffer latest;
    /** The sample a periodic leak check reads, apart from the one being sampled into. */
    private final SampleBuffer checked;

    private final ScheduledThreadPoolExecutor scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long failedSamples;

    private Memwarden(Builder builder) {
        this.config = builder.config;
        InstantSource clock = builder.clock;
        // What has no side effects first; then what registers listeners, opens files or starts threads, each
        // undone if a later step fails, so a failed start leaves nothing behind.
        this.timeline = TimelineStore.create(config.timelineTiers());
        this.health = new HealthEvaluator(config.healthRules());
        this.resources = ResourceRegistry.create(config.resourceTiers(), config.resourcesMax());
        DumpOnConfirmed leakDump = config.leakHeapDump()
                ? new DumpOnConfirmed(HeapDumps.builder(config.evidenceDir()).build()::capture, builder.dumpAnalyzer)
                : null;
        this.leaks = new LeakControl(
                timeline,
                resources,
                config,
                allocationSites(config.leakAllocationSites()),
                leakDump == null ? List::of : leakDump::holders);
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "memwarden-sampler");
            thread.setDaemon(true);
            return thread;
        });
        GcMonitor monitor;
        try {
            monitor = GcMonitor.start(config.gcEvents(), clock);
        } catch (RuntimeException | Error e) {
            leaks.close();
            throw e;
        }
        this.gcMonitor = monitor;
        try {
            this.sampler = MemorySampler.create(clock, gcMonitor);
        } catch (RuntimeException | Error e) {
            gcMonitor.close();
            leaks.close();
            throw e;
        }
        this.spiral = spiralGuard(config);
        if (config.heapDumpOnOutOfMemoryError()) {
            armHeapDumpOnOutOfMemoryError(config.evidenceDir());
        }
        this.working = sampler.newBuffer();
        this.latest = working.newBuffer();
        this.checked = working.newBuffer();
        List<AlertSink> allSinks = new ArrayList<>();
        allSinks.add(new LogAlertSink(config.alertLogInterval()));
        URI webhook = config.webhookUrl();
        if (webhook != null) {
            try {
                allSinks.add(WebhookAlertSink.builder(webhook)
                        .timeout(config.webhookTimeout())
                        .retries(config.webhookRetries())
                        .queueCapacity(config.webhookQueue())
                        .build());
            } catch (RuntimeException | Error e) {
                sampler.close();
                gcMonitor.close();
                throw e;
            }
        }
        if (leakDump != null) {
            allSinks.add(leakDump);
        }
        allSinks.addAll(builder.sinks);
        this.sinks = List.copyOf(allSinks);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    private Memwarden startSampling(boolean scheduled) {
        sampleNow();
        if (scheduled) {
            long interval = config.sampleInterval().toMillis();
            // sampleGuarded never throws, so the future has nothing to report; close() cancels it via shutdownNow.
            var unused = scheduler.scheduleAtFixedRate(this::sampleGuarded, interval, interval, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void sampleGuarded() {
        try {
            sampleNow();
        } catch (RuntimeException | Error e) {
            // A failed sample must not cancel the schedule; the next one may well succeed.
            failedSamples++;
            if (Long.bitCount(failedSamples) == 1) {
                LOG.log(System.Logger.Level.WARNING, "memwarden sample failed (" + failedSamples + " so far)", e);
            }
        }
    }

    /** Takes one sample now; the scheduler calls it, and tests with a manual clock call it directly. */
    void sampleNow() {
        List<HealthStatus.Transition> transitions;
        boolean leakCheckDue;
        synchronized (working) {
            sampler.sample(working);
            timeline.record(working);
            resources.sample(working.takenAtMillis());
            transitions = health.evaluate(working);
            synchronized (latest) {
                latest.copyFrom(working);
            }
            long now = working.takenAtMillis();
            GcSpiralGuard guard = spiral;
            if (guard != null) {
                guard.observe(now, gcMonitor.pauseMillisTotal());
            }
            leakCheckDue = lastLeakCheck == Long.MIN_VALUE
                    || now - lastLeakCheck >= leaks.interval().toMillis()
                    || leaks.detector().dueEarly(working);
            if (leakCheckDue) {
                lastLeakCheck = now;
            }
        }
        for (HealthStatus.Transition transition : transitions) {
            publish(new Alert.Health(transition));
        }
        if (leakCheckDue) {
            // Outside the sampling lock: a check that gathers evidence runs a full GC, and the next sample, like a
            // caller of checkLeaks(), must not wait for it.
            synchronized (checked) {
                synchronized (latest) {
                    checked.copyFrom(latest);
                }
                checkLeaksOn(checked);
            }
        }
    }

    /** Runs the leak check on a sample, and tells the alert sinks when the verdict changed. */
    private LeakReport checkLeaksOn(SampleBuffer sample) {
        LeakDetector.Check check = leaks.detector().run(sample);
        if (check.report().verdict() != check.previous()) {
            publish(new Alert.Leak(check.report(), check.previous()));
        }
        return check.report();
    }

    private void publish(Alert alert) {
        long classesBefore = CLASS_LOADING.getTotalLoadedClassCount();
        for (AlertSink sink : sinks) {
            try {
                sink.accept(alert);
            } catch (RuntimeException | Error e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "alert sink " + sink.getClass().getName() + " failed",
                        e);
            }
        }
        // The first alert loads the sinks' logging and HTTP client classes, hundreds of them: the service's, they
        // would read as a class-loading leak, itself an alert.
        leaks.detector().countOwnClassLoads(alert.at(), CLASS_LOADING.getTotalLoadedClassCount() - classesBefore);
    }

    /** The latest sample as an immutable snapshot. */
    public MemorySnapshot snapshot() {
        synchronized (latest) {
            return latest.toSnapshot();
        }
    }

    /** The latest leak report, from the periodic check ({@code memwarden.leak.interval}). */
    public LeakReport leakReport() {
        return leaks.detector().latest();
    }

    /**
     * Runs the leak layers now, on the latest sample, and returns the report. It never waits for a full GC that
     * another check runs: it then concludes on the evidence there is.
     */
    public LeakReport checkLeaks() {
        return checkLeaksOn(latestCopy());
    }

    /** The recent leak reports, oldest first, at most 64. */
    public List<LeakReport> leakHistory() {
        return leaks.detector().history();
    }

    /** The leak settings {@link #configureLeaks} may change while memwarden runs. */
    public static final List<String> RECONFIGURABLE = LeakControl.RECONFIGURABLE;

    /**
     * Changes how leaks are looked for while memwarden runs: any of {@link #RECONFIGURABLE}, as text, checked as at
     * start. A new window or histogram interval starts the detector afresh: its evidence and history go, and its
     * verdict is NONE until it has seen enough again; a new interval only changes how often it checks.
     *
     * @return every reconfigurable key with the value now in force
     * @throws IllegalArgumentException for another key or a value the key does not allow, naming what is allowed;
     *     nothing changes then
     */
    public Map<String, String> configureLeaks(Map<String, String> settings) {
        return leaks.configure(settings, checked);
    }

    /** Every reconfigurable leak setting with the value in force, as text. */
    public Map<String, String> leakSettings() {
        return leaks.settings();
    }

    /** Forgets the recent leak reports; the latest report and what the detector watches stay. */
    public void clearLeakHistory() {
        leaks.detector().clearHistory();
    }

    private SampleBuffer latestCopy() {
        SampleBuffer copy = latest.newBuffer();
        synchronized (latest) {
            copy.copyFrom(latest);
        }
        return copy;
    }

    public Timeline timeline() {
        return timeline;
    }

    /** The most recent GC events, oldest first, at most {@code memwarden.gc.events} of them. */
    public List<GcEvent> gcEvents() {
        return gcMonitor.events();
    }

    public HealthStatus health() {
        return health.status();
    }

    /**
     * The registry whose structures are sampled with every sample: pass it to the bounded primitives' builders,
     * or {@code watch} your own maps and collections with it.
     */
    public ResourceRegistry resources() {
        return resources;
    }

    public MemwardenConfig config() {
        return config;
    }

    /** Stops sampling and removes every thread and listener memwarden added; safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "memwarden-sampler did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gcMonitor.close();
        sampler.close();
        leaks.close();
        for (AlertSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException | Error e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "closing alert sink " + sink.getClass().getName(),
                        e);
            }
        }
    }

    /** A service that asked for the JVM's dump on OutOfMemoryError and cannot have it still runs, with a warning. */
    private static void armHeapDumpOnOutOfMemoryError(Path directory) {
        try {
            HeapDumps.builder(directory).build().armOnOutOfMemoryError();
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "memwarden: no heap dump on OutOfMemoryError into " + directory + ": " + e);
        }
    }

    private static @Nullable GcSpiralGuard spiralGuard(MemwardenConfig config) {
        Duration limit = config.gcSpiralLimit();
        if (limit == null) {
            return null;
        }
        HeapDumps dumps = config.gcSpiralHeapDump()
                ? HeapDumps.builder(config.evidenceDir()).build()
                : null;
        return new GcSpiralGuard(
                limit,
                config.gcSpiralWeight(),
                config.evidenceDir(),
                dumps,
                GcSpiralGuard.EXIT_CODE,
                Runtime.getRuntime()::halt);
    }

    private static LeakDetector.SiteRecording allocationSites(MemwardenConfig.Switch setting) {
        if (setting != MemwardenConfig.Switch.AUTO) {
            return setting == MemwardenConfig.Switch.ON
                    ? LeakDetector.SiteRecording.CONTINUOUS
                    : LeakDetector.SiteRecording.OFF;
        }
        if (LeakDetector.allocationSitesCheapHere()) {
            return LeakDetector.SiteRecording.CONTINUOUS;
        }
        LOG.log(
                System.Logger.Level.INFO,
                "memwarden: allocation sites are recorded from the first suspicion of a heap leak on, when JFR adds"
                        + " about 15 MB of native memory. Start the JVM with " + LeakDetector.smallJfrOption()
                        + " to record them from the start for about 6 MB, or set memwarden.leak.allocation.sites=off");
        return LeakDetector.SiteRecording.FROM_FIRST_SUSPICION;
    }

    /** Configures and starts a {@link Memwarden}. */
    public static final class Builder {
        private MemwardenConfig config = MemwardenConfig.defaults();
        private InstantSource clock = InstantSource.system();
        private final List<AlertSink> sinks = new ArrayList<>();
        private @Nullable DumpAnalyzer dumpAnalyzer;

        private Builder() {}

        public Builder config(MemwardenConfig config) {
            this.config = config;
            return this;
        }

        /** Adds a sink for alerts, besides the log (and the webhook, when configured). */
        public Builder alertSink(AlertSink sink) {
            sinks.add(sink);
            return this;
        }

        /**
         * What names the holder in the heap dump taken when a heap leak is CONFIRMED and {@code
         * memwarden.leak.heapdump} is on (memwarden-server's {@code HprofDumpAnalyzer}); without one the dump is kept
         * for a person to analyze.
         */
        public Builder dumpAnalyzer(DumpAnalyzer analyzer) {
            this.dumpAnalyzer = analyzer;
            return this;
        }

        /** The time source for samples, rules and windows; the system clock unless a test says otherwise. */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** Takes the first sample and starts sampling every {@code memwarden.sample.interval}. */
        public Memwarden start() {
            return startOrClose(new Memwarden(this), true);
        }

        /** Takes the first sample but leaves further sampling to {@link #sampleNow()}: for tests that drive time. */
        Memwarden startManual() {
            return startOrClose(new Memwarden(this), false);
        }

        private static Memwarden startOrClose(Memwarden memwarden, boolean scheduled) {
            try {
                return memwarden.startSampling(scheduled);
            } catch (RuntimeException | Error e) {
                memwarden.close();
                throw e;
            }
        }
    }
}
