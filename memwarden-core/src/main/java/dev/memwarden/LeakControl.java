package dev.memwarden;

import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.internal.leak.LeakDetector;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.telemetry.Timeline;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The leak detector in force and the settings it runs with, which {@link Memwarden#configureLeaks} changes while
 * memwarden runs. A new window or histogram interval needs a new detector, swapped in under the lock the periodic
 * check holds, so that no check is cut in half; a new interval changes only the pace.
 */
final class LeakControl {
    /** The settings that may change while memwarden runs. */
    static final List<String> RECONFIGURABLE = List.of(
            ConfigKey.LEAK_WINDOW.key(), ConfigKey.LEAK_INTERVAL.key(), ConfigKey.LEAK_HISTOGRAM_INTERVAL.key());

    private static final int SLICES = 12;

    private final Timeline timeline;
    private final ResourceRegistry resources;
    private final LeakDetector.SiteRecording allocationSites;
    private final Supplier<List<LeakReport.Holder>> holders;
    private volatile LeakDetector detector;
    private volatile Duration interval;
    private Duration window;
    private @Nullable Duration histograms;

    LeakControl(
            Timeline timeline,
            ResourceRegistry resources,
            MemwardenConfig config,
            LeakDetector.SiteRecording allocationSites,
            Supplier<List<LeakReport.Holder>> holders) {
        this.timeline = timeline;
        this.resources = resources;
        this.allocationSites = allocationSites;
        this.holders = holders;
        this.window = config.leakWindow();
        this.interval = config.leakInterval();
        this.histograms = config.leakHistogramInterval();
        this.detector = detector(window, histograms);
    }

    private LeakDetector detector(Duration window, @Nullable Duration histograms) {
        LeakDetector fresh = new LeakDetector(timeline, resources, window, SLICES, histograms, allocationSites);
        fresh.nameHoldersWith(holders);
        return fresh;
    }

    LeakDetector detector() {
        return detector;
    }

    /** How often the cheap layers run. */
    Duration interval() {
        return interval;
    }

    /**
     * @param checks the lock a periodic check holds while it runs on the detector
     * @throws IllegalArgumentException for another key or a bad value; nothing changes then
     */
    synchronized Map<String, String> configure(Map<String, String> settings, Object checks) {
        MemwardenConfig.Builder check = MemwardenConfig.builder();
        settings().forEach(check::set);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (!RECONFIGURABLE.contains(setting.getKey())) {
                throw new IllegalArgumentException("'" + setting.getKey() + "' cannot be changed while memwarden runs;"
                        + " these can: " + String.join(", ", RECONFIGURABLE));
            }
            check.set(setting.getKey(), setting.getValue());
        }
        MemwardenConfig wanted = check.build();
        if (!wanted.leakWindow().equals(window) || !Objects.equals(wanted.leakHistogramInterval(), histograms)) {
            LeakDetector fresh = detector(wanted.leakWindow(), wanted.leakHistogramInterval());
            LeakDetector old;
            synchronized (checks) {
                old = detector;
                detector = fresh;
            }
            old.close();
            window = wanted.leakWindow();
            histograms = wanted.leakHistogramInterval();
        }
        interval = wanted.leakInterval();
        return settings();
    }

    /** Every reconfigurable setting with the value in force, as text a key reads back exactly. */
    synchronized Map<String, String> settings() {
        Map<String, String> now = new LinkedHashMap<>();
        now.put(ConfigKey.LEAK_WINDOW.key(), text(window));
        now.put(ConfigKey.LEAK_INTERVAL.key(), text(interval));
        Duration every = histograms;
        now.put(ConfigKey.LEAK_HISTOGRAM_INTERVAL.key(), every == null ? "off" : text(every));
        return Collections.unmodifiableMap(now);
    }

    private static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    void close() {
        detector.close();
    }
}
