package dev.memwarden;

import dev.memwarden.health.HealthRule;
import dev.memwarden.telemetry.Timeline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything memwarden can be told, immutable and checked on {@link Builder#build()}. Each setting is also a
 * documented {@link ConfigKey}, so the same values can come from code, system properties, the environment or
 * Spring. Built only through {@link #builder()}: a new setting adds an accessor, never a constructor argument.
 */
public final class MemwardenConfig {
    private final Duration sampleInterval;
    private final List<Timeline.Tier> timelineTiers;
    private final int gcEvents;
    private final int resourcesMax;
    private final List<Timeline.Tier> resourceTiers;
    private final List<HealthRule> healthRules;
    private final Duration leakWindow;
    private final Duration leakInterval;
    private final @Nullable Duration leakHistogramInterval;
    private final Switch leakAllocationSites;
    private final @Nullable Duration gcSpiralLimit;
    private final double gcSpiralWeight;
    private final boolean gcSpiralHeapDump;
    private final boolean heapDumpOnOutOfMemoryError;
    private final boolean leakHeapDump;
    private final Path evidenceDir;
    private final Duration alertLogInterval;
    private final @Nullable URI webhookUrl;
    private final Duration webhookTimeout;
    private final int webhookRetries;
    private final int webhookQueue;
    private final Server server;

    /**
     * Where the management API listens and how it finds its admin token: read by {@code memwarden-server} and the
     * agent, never by {@link Memwarden} itself.
     *
     * @param port 0 lets the system choose one
     * @param tokenFile a file whose first line is the admin token; null to read it from {@code
     *     MEMWARDEN_SERVER_TOKEN}, and without that, admin endpoints are refused
     */
    public record Server(String host, int port, @Nullable Path tokenFile) {}

    /** A feature that is on, off, or decided by memwarden from what it costs in this JVM. */
    public enum Switch {
        ON,
        OFF,
        AUTO
    }

    @SuppressWarnings("TooManyParameters") // one per setting, called once, by the builder
    private MemwardenConfig(
            Duration sampleInterval,
            List<Timeline.Tier> timelineTiers,
            int gcEvents,
            int resourcesMax,
            List<Timeline.Tier> resourceTiers,
            List<HealthRule> healthRules,
            Duration leakWindow,
            Duration leakInterval,
            @Nullable Duration leakHistogramInterval,
            Switch leakAllocationSites,
            @Nullable Duration gcSpiralLimit,
            double gcSpiralWeight,
            boolean gcSpiralHeapDump,
            boolean heapDumpOnOutOfMemoryError,
            boolean leakHeapDump,
            Path evidenceDir,
            Duration alertLogInterval,
            @Nullable URI webhookUrl,
            Duration webhookTimeout,
            int webhookRetries,
            int webhookQueue,
            Server server) {
        this.sampleInterval = sampleInterval;
        this.timelineTiers = List.copyOf(timelineTiers);
        this.gcEvents = gcEvents;
        this.resourcesMax = resourcesMax;
        this.resourceTiers = List.copyOf(resourceTiers);
        this.healthRules = List.copyOf(healthRules);
        this.leakWindow = leakWindow;
        this.leakInterval = leakInterval;
        this.leakHistogramInterval = leakHistogramInterval;
        this.leakAllocationSites = leakAllocationSites;
        this.gcSpiralLimit = gcSpiralLimit;
        this.gcSpiralWeight = gcSpiralWeight;
        this.gcSpiralHeapDump = gcSpiralHeapDump;
        this.heapDumpOnOutOfMemoryError = heapDumpOnOutOfMemoryError;
        this.leakHeapDump = leakHeapDump;
        this.evidenceDir = evidenceDir;
        this.alertLogInterval = alertLogInterval;
        this.webhookUrl = webhookUrl;
        this.webhookTimeout = webhookTimeout;
        this.webhookRetries = webhookRetries;
        this.webhookQueue = webhookQueue;
        this.server = server;
    }

    /** The management API's settings. */
    public Server server() {
        return server;
    }

    /** How often the JVM is sampled. */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /** The history's tiers, fine to coarse. */
    public List<Timeline.Tier> timelineTiers() {
        return timelineTiers;
    }

    /** How many GC events are kept. */
    public int gcEvents() {
        return gcEvents;
    }

    /** How many structures the resource registry samples. */
    public int resourcesMax() {
        return resourcesMax;
    }

    /** The tiers of each registered structure's size history. */
    public List<Timeline.Tier> resourceTiers() {
        return resourceTiers;
    }

    /** The rules the defaults and thresholds produced, followed by any added with {@link Builder#rule(HealthRule)}. */
    public List<HealthRule> healthRules() {
        return healthRules;
    }

    /** How far back the leak detector looks for a trend. */
    public Duration leakWindow() {
        return leakWindow;
    }

    /** How often the cheap leak layers run. */
    public Duration leakInterval() {
        return leakInterval;
    }

    /** The least time between two class histograms, or null to never take one. */
    public @Nullable Duration leakHistogramInterval() {
        return leakHistogramInterval;
    }

    /** Whether leak layer 5's JFR recording runs. */
    public Switch leakAllocationSites() {
        return leakAllocationSites;
    }

    /** GC time not paid back by running after which the JVM halts, or null for never. */
    public @Nullable Duration gcSpiralLimit() {
        return gcSpiralLimit;
    }

    /** Milliseconds of running that pay back one of GC pause. */
    public double gcSpiralWeight() {
        return gcSpiralWeight;
    }

    /** Whether a heap dump is taken before a GC death spiral halts the JVM. */
    public boolean gcSpiralHeapDump() {
        return gcSpiralHeapDump;
    }

    /** Whether the JVM's own heap dump on OutOfMemoryError is armed. */
    public boolean heapDumpOnOutOfMemoryError() {
        return heapDumpOnOutOfMemoryError;
    }

    /** Whether a heap leak first CONFIRMED takes a heap dump, for the analyzer plugged in to name its holder. */
    public boolean leakHeapDump() {
        return leakHeapDump;
    }

    /** Where JFR snapshots and heap dumps go. */
    public Path evidenceDir() {
        return evidenceDir;
    }

    /** At most one log line per rule per this interval. */
    public Duration alertLogInterval() {
        return alertLogInterval;
    }

    /** Where alerts are POSTed, or null for no webhook. */
    public @Nullable URI webhookUrl() {
        return webhookUrl;
    }

    /** The webhook's connect and request timeout. */
    public Duration webhookTimeout() {
        return webhookTimeout;
    }

    /** Webhook retries after the first attempt. */
    public int webhookRetries() {
        return webhookRetries;
    }

    /** Alerts waiting for the webhook before new ones are dropped. */
    public int webhookQueue() {
        return webhookQueue;
    }

    public static MemwardenConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the {@code memwarden.*} entries of a property map (system properties, an agent's options); other
     * entries are ignored, an unknown {@code memwarden.*} key is an error naming the known ones.
     */
    public static MemwardenConfig fromProperties(Map<String, String> properties) {
        Builder builder = builder();
        properties.forEach((key, value) -> {
            if (key.startsWith("memwarden.")) {
                builder.set(key, value);
            }
        });
        return builder.build();
    }

    /** Reads {@code MEMWARDEN_*} environment variables, named as {@link ConfigKey#environmentName()} says. */
    public static MemwardenConfig fromEnvironment(Map<String, String> environment) {
        Builder builder = builder();
        for (ConfigKey key : ConfigKey.values()) {
            String value = environment.get(key.environmentName());
            if (value != null) {
                builder.set(key.key(), value);
            }
        }
        return builder.build();
    }

    /** Builds a {@link MemwardenConfig}; every setter checks its value and says what is allowed. */
    public static final class Builder {
        private Duration sampleInterval = Duration.ofSeconds(1);
        private List<Timeline.Tier> tiers = Timeline.Tier.DEFAULTS;
        private int gcEvents = 256;
        private int resourcesMax = 32;
        private List<Timeline.Tier> resourceTiers = List.of(
                new Timeline.Tier(Duration.ofSeconds(10), Duration.ofHours(1)),
                new Timeline.Tier(Duration.ofMinutes(5), Duration.ofDays(2)));
        private final HealthThresholds health = new HealthThresholds();
        private final List<HealthRule> extraRules = new ArrayList<>();
        private Duration leakWindow = Duration.ofMinutes(30);
        private Duration leakInterval = Duration.ofMinutes(1);
        private @Nullable Duration leakHistogramInterval = Duration.ofMinutes(5);
        private Switch leakAllocationSites = Switch.AUTO;
        private @Nullable Duration gcSpiralLimit;
        private double gcSpiralWeight = 5;
        private boolean gcSpiralHeapDump;
        private boolean heapDumpOnOutOfMemoryError;
        private boolean leakHeapDump;
        private Path evidenceDir = defaultEvidenceDir();
        private Duration alertLogInterval = Duration.ofMinutes(1);
        private @Nullable URI webhookUrl;
        private Duration webhookTimeout = Duration.ofSeconds(5);
        private int webhookRetries = 3;
        private int webhookQueue = 100;
        private String serverHost = "127.0.0.1";
        private int serverPort = 9400;
        private @Nullable Path serverTokenFile;

        private Builder() {}

        /**
         * Sets one documented key from its text form, as it would appear in a properties file.
         *
         * @throws IllegalArgumentException for an unknown key or a value the key does not allow
         */
        @SuppressWarnings("CyclomaticComplexity") // One case per documented key reads best as one switch.
        public Builder set(String key, String value) {
            ConfigKey k = ConfigKey.of(key)
                    .orElseThrow(() -> new IllegalArgumentException("unknown configuration key '" + key
                            + "'; known keys: "
                            + java.util.Arrays.stream(ConfigKey.values())
                                    .map(ConfigKey::key)
                                    .collect(Collectors.joining(", "))));
            switch (k) {
                case SAMPLE_INTERVAL -> sampleInterval(ConfigValues.duration(k, value));
                case TIMELINE_TIERS -> timelineTiers(ConfigValues.tiers(k, value));
                case GC_EVENTS -> gcEvents(ConfigValues.integer(k, value, 1, 65_536));
                case RESOURCES_MAX -> resourcesMax = ConfigValues.integer(k, value, 1, 4096);
                case RESOURCES_TIERS -> resourceTiers = Timeline.Tier.validate(ConfigValues.tiers(k, value));
                case HEAP_WARN -> health.heapWarn = ratioOrOff(k, value);
                case HEAP_WARN_FOR -> health.heapWarnFor = ConfigValues.duration(k, value);
                case HEAP_CRITICAL -> health.heapCritical = ratioOrOff(k, value);
                case HEAP_CRITICAL_FOR -> health.heapCriticalFor = ConfigValues.duration(k, value);
                case HEAP_SEVERE -> health.heapSevere = ratioOrOff(k, value);
                case HEAP_SEVERE_FOR -> health.heapSevereFor = ConfigValues.duration(k, value);
                case RSS_WARN -> health.rssWarn = ratioOrOff(k, value);
                case RSS_CRITICAL -> health.rssCritical = ratioOrOff(k, value);
                case RSS_FOR -> health.rssFor = ConfigValues.duration(k, value);
                case RSS_WARN_BYTES ->
                    health.rssWarnBytes = ConfigValues.isOff(value) ? null : ConfigValues.bytes(k, value);
                case RSS_CRITICAL_BYTES ->
                    health.rssCriticalBytes = ConfigValues.isOff(value) ? null : ConfigValues.bytes(k, value);
                case GC_WARN -> health.gcWarn = ratioOrOff(k, value);
                case GC_CRITICAL -> health.gcCritical = ratioOrOff(k, value);
                case GC_FOR -> health.gcFor = ConfigValues.duration(k, value);
                case DIRECT_WARN -> health.directWarn = ratioOrOff(k, value);
                case DIRECT_CRITICAL -> health.directCritical = ratioOrOff(k, value);
                case METASPACE_WARN -> health.metaspaceWarn = ratioOrOff(k, value);
                case METASPACE_CRITICAL -> health.metaspaceCritical = ratioOrOff(k, value);
                case FDS_WARN -> health.fdsWarn = ratioOrOff(k, value);
                case FDS_CRITICAL -> health.fdsCritical = ratioOrOff(k, value);
                case LIMITS_FOR -> health.limitsFor = ConfigValues.duration(k, value);
                case HYSTERESIS -> hysteresis(ConfigValues.ratio(k, value));
                case LEAK_WINDOW -> leakWindow(ConfigValues.duration(k, value));
                case LEAK_INTERVAL -> leakInterval(ConfigValues.duration(k, value));
                case LEAK_HISTOGRAM_INTERVAL ->
                    leakHistogramInterval = ConfigValues.isOff(value) ? null : ConfigValues.duration(k, value);
                case LEAK_ALLOCATION_SITES -> leakAllocationSites = ConfigValues.onOffAuto(k, value);
                case GC_SPIRAL_LIMIT ->
                    gcSpiralLimit = ConfigValues.isOff(value) ? null : ConfigValues.duration(k, value);
                case GC_SPIRAL_WEIGHT -> gcSpiralWeight = ConfigValues.integer(k, value, 1, 100);
                case GC_SPIRAL_HEAP_DUMP -> gcSpiralHeapDump = ConfigValues.onOff(k, value);
                case HEAP_DUMP_ON_OOM -> heapDumpOnOutOfMemoryError = ConfigValues.onOff(k, value);
                case LEAK_HEAP_DUMP -> leakHeapDump = ConfigValues.onOff(k, value);
                case EVIDENCE_DIR ->
                    evidenceDir = value.trim().equals("tmp") ? defaultEvidenceDir() : Path.of(value.trim());
                case ALERT_LOG_INTERVAL -> alertLogInterval = ConfigValues.duration(k, value);
                case WEBHOOK_URL -> webhookUrl = ConfigValues.url(k, value);
                case WEBHOOK_TIMEOUT -> webhookTimeout = ConfigValues.duration(k, value);
                case WEBHOOK_RETRIES -> webhookRetries = ConfigValues.integer(k, value, 0, 10);
                case WEBHOOK_QUEUE -> webhookQueue = ConfigValues.integer(k, value, 1, 100_000);
                case SERVER_HOST -> serverHost = ConfigValues.text(k, value);
                case SERVER_PORT -> serverPort = ConfigValues.integer(k, value, 0, 65_535);
                case SERVER_TOKEN_FILE -> serverTokenFile = ConfigValues.isOff(value) ? null : Path.of(value.trim());
            }
            return this;
        }

        private static @Nullable Double ratioOrOff(ConfigKey key, String value) {
            return ConfigValues.isOff(value) ? null : ConfigValues.ratio(key, value);
        }

        public Builder sampleInterval(Duration interval) {
            if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        ConfigKey.SAMPLE_INTERVAL.key() + ": " + interval + " is not allowed; expected 100ms to 1h");
            }
            this.sampleInterval = interval;
            return this;
        }

        public Builder timelineTiers(List<Timeline.Tier> tiers) {
            try {
                this.tiers = Timeline.Tier.validate(tiers);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ConfigKey.TIMELINE_TIERS.key() + ": " + e.getMessage(), e);
            }
            return this;
        }

        /** How many bounded and watched structures the resource registry can sample; default 32. */
        public Builder resourcesMax(int max) {
            if (max < 1 || max > 4096) {
                throw new IllegalArgumentException(
                        ConfigKey.RESOURCES_MAX.key() + ": " + max + " is not allowed; expected 1 to 4096");
            }
            this.resourcesMax = max;
            return this;
        }

        public Builder gcEvents(int events) {
            if (events < 1 || events > 65_536) {
                throw new IllegalArgumentException(
                        ConfigKey.GC_EVENTS.key() + ": " + events + " is not allowed; expected 1 to 65536");
            }
            this.gcEvents = events;
            return this;
        }

        /** Live heap after GC as a share of max heap: WARN, CRITICAL and the faster CRITICAL; null turns one off. */
        public Builder heapThresholds(
                @Nullable Double warn,
                Duration warnFor,
                @Nullable Double critical,
                Duration criticalFor,
                @Nullable Double severe,
                Duration severeFor) {
            health.heapWarn = warn;
            health.heapWarnFor = warnFor;
            health.heapCritical = critical;
            health.heapCriticalFor = criticalFor;
            health.heapSevere = severe;
            health.heapSevereFor = severeFor;
            return this;
        }

        /** RSS as a share of the container limit; null turns one off. */
        public Builder rssShareThresholds(@Nullable Double warn, @Nullable Double critical, Duration holdFor) {
            health.rssWarn = warn;
            health.rssCritical = critical;
            health.rssFor = holdFor;
            return this;
        }

        /** RSS as an absolute size, e.g. 150 MB WARN and 200 MB CRITICAL; null turns one off. */
        public Builder rssSizeThresholds(@Nullable Long warnBytes, @Nullable Long criticalBytes) {
            health.rssWarnBytes = warnBytes;
            health.rssCriticalBytes = criticalBytes;
            return this;
        }

        public Builder gcOverheadThresholds(@Nullable Double warn, @Nullable Double critical, Duration holdFor) {
            health.gcWarn = warn;
            health.gcCritical = critical;
            health.gcFor = holdFor;
            return this;
        }

        public Builder hysteresis(double hysteresis) {
            if (!(hysteresis >= 0 && hysteresis < 1)) {
                throw new IllegalArgumentException(
                        ConfigKey.HYSTERESIS.key() + ": " + hysteresis + " is not allowed; expected 0 to below 1");
            }
            health.hysteresis = hysteresis;
            return this;
        }

        /** Adds a rule of one's own, evaluated with the built-in ones. */
        public Builder rule(HealthRule rule) {
            extraRules.add(rule);
            return this;
        }

        /** How far back the leak detector looks; default 30 minutes. */
        public Builder leakWindow(Duration window) {
            if (window.compareTo(Duration.ofMinutes(2)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException(
                        ConfigKey.LEAK_WINDOW.key() + ": " + window + " is not allowed; expected 2m to 7d");
            }
            this.leakWindow = window;
            return this;
        }

        /** How often the leak detector's cheap layers run; default 1 minute. */
        public Builder leakInterval(Duration interval) {
            if (interval.compareTo(Duration.ofSeconds(10)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        ConfigKey.LEAK_INTERVAL.key() + ": " + interval + " is not allowed; expected 10s to 1h");
            }
            this.leakInterval = interval;
            return this;
        }

        /** The least time between class histograms, or null to never take one (they pause the JVM). */
        public Builder leakHistogramInterval(@Nullable Duration interval) {
            this.leakHistogramInterval = interval;
            return this;
        }

        /** Whether leak layer 5 keeps a JFR recording of old-object samples for allocation stacks. */
        public Builder leakAllocationSites(Switch setting) {
            this.leakAllocationSites = setting;
            return this;
        }

        private static Path defaultEvidenceDir() {
            return Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "memwarden-" + ProcessHandle.current().pid());
        }

        public Builder alertLogInterval(Duration interval) {
            this.alertLogInterval = interval;
            return this;
        }

        public Builder webhook(@Nullable URI url) {
            this.webhookUrl = url;
            return this;
        }

        public MemwardenConfig build() {
            List<HealthRule> rules = health.rules();
            for (HealthRule extra : extraRules) {
                if (rules.stream().anyMatch(r -> r.name().equals(extra.name()))) {
                    throw new IllegalArgumentException("a health rule named '" + extra.name() + "' already exists");
                }
                rules.add(extra);
            }
            if (webhookTimeout.isNegative() || webhookTimeout.isZero()) {
                throw new IllegalArgumentException(ConfigKey.WEBHOOK_TIMEOUT.key() + " must be positive");
            }
            if (alertLogInterval.isNegative()) {
                throw new IllegalArgumentException(ConfigKey.ALERT_LOG_INTERVAL.key() + " cannot be negative");
            }
            return new MemwardenConfig(
                    sampleInterval,
                    tiers,
                    gcEvents,
                    resourcesMax,
                    resourceTiers,
                    rules,
                    leakWindow,
                    leakInterval,
                    leakHistogramInterval,
                    leakAllocationSites,
                    gcSpiralLimit,
                    gcSpiralWeight,
                    gcSpiralHeapDump,
                    heapDumpOnOutOfMemoryError,
                    leakHeapDump,
                    evidenceDir,
                    alertLogInterval,
                    webhookUrl,
                    webhookTimeout,
                    webhookRetries,
                    webhookQueue,
                    new Server(serverHost, serverPort, serverTokenFile));
        }
    }
}
