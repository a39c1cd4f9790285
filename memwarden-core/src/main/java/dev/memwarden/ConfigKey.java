package dev.memwarden;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The documented configuration keys. The agent's options, system properties, environment variables (upper case,
 * dots as underscores: {@code MEMWARDEN_SAMPLE_INTERVAL}) and Spring properties all map onto these; the table in
 * docs/configuration.md lists them, and a test keeps the two in step.
 */
public enum ConfigKey {
    SAMPLE_INTERVAL("memwarden.sample.interval", "1s", "how often the JVM is sampled (100ms to 1h)"),
    TIMELINE_TIERS(
            "memwarden.timeline.tiers",
            "1s:10m,15s:6h,5m:7d",
            "history tiers as bucket:span, fine to coarse; memory is fixed by these"),
    GC_EVENTS("memwarden.gc.events", "256", "GC events kept (1 to 65536)"),
    RESOURCES_MAX("memwarden.resources.max", "32", "bounded and watched structures the registry samples (1 to 4096)"),
    RESOURCES_TIERS(
            "memwarden.resources.tiers",
            "10s:1h,5m:2d",
            "size history of each registered structure, as bucket:span tiers"),
    HEAP_WARN("memwarden.health.heap.warn", "0.75", "live heap after GC, share of max heap, for WARN"),
    HEAP_WARN_FOR("memwarden.health.heap.warn.for", "2m", "how long the live heap must stay above the WARN share"),
    HEAP_CRITICAL("memwarden.health.heap.critical", "0.85", "live heap after GC, share of max heap, for CRITICAL"),
    HEAP_CRITICAL_FOR("memwarden.health.heap.critical.for", "5m", "how long for CRITICAL"),
    HEAP_SEVERE("memwarden.health.heap.severe", "0.95", "live heap share that is CRITICAL sooner"),
    HEAP_SEVERE_FOR("memwarden.health.heap.severe.for", "30s", "how long for that faster CRITICAL"),
    RSS_WARN("memwarden.health.rss.warn", "0.80", "process RSS, share of the container limit, for WARN"),
    RSS_CRITICAL("memwarden.health.rss.critical", "0.90", "process RSS, share of the container limit, for CRITICAL"),
    RSS_FOR("memwarden.health.rss.for", "30s", "how long RSS must stay above a share or size"),
    RSS_WARN_BYTES("memwarden.health.rss.warn.bytes", "off", "process RSS size for WARN, e.g. 150MB"),
    RSS_CRITICAL_BYTES("memwarden.health.rss.critical.bytes", "off", "process RSS size for CRITICAL, e.g. 200MB"),
    GC_WARN("memwarden.health.gc.warn", "0.10", "share of wall time in GC pauses over a minute, for WARN"),
    GC_CRITICAL("memwarden.health.gc.critical", "0.25", "share of wall time in GC pauses over a minute, for CRITICAL"),
    GC_FOR(
            "memwarden.health.gc.for",
            "0s",
            "how long GC overhead must stay above a share (it is already a minute's average)"),
    DIRECT_WARN("memwarden.health.direct.warn", "0.80", "direct buffer memory, share of its maximum, for WARN"),
    DIRECT_CRITICAL("memwarden.health.direct.critical", "0.90", "direct buffer memory share for CRITICAL"),
    METASPACE_WARN(
            "memwarden.health.metaspace.warn", "0.80", "metaspace share of MaxMetaspaceSize (when set), for WARN"),
    METASPACE_CRITICAL("memwarden.health.metaspace.critical", "0.90", "metaspace share for CRITICAL"),
    FDS_WARN("memwarden.health.fds.warn", "0.80", "open file descriptors, share of the limit, for WARN"),
    FDS_CRITICAL("memwarden.health.fds.critical", "0.90", "open file descriptors share for CRITICAL"),
    LIMITS_FOR(
            "memwarden.health.limits.for",
            "30s",
            "how long direct memory, metaspace and descriptors must stay above a share"),
    HYSTERESIS(
            "memwarden.health.hysteresis",
            "0.05",
            "how far under a share a value must fall to clear it (size thresholds: this fraction of the size)"),
    LEAK_WINDOW("memwarden.leak.window", "30m", "how far back the leak detector looks for a trend (2m to 7d)"),
    LEAK_INTERVAL("memwarden.leak.interval", "1m", "how often the cheap leak layers run (10s to 1h)"),
    LEAK_HISTOGRAM_INTERVAL(
            "memwarden.leak.histogram.interval",
            "5m",
            "least time between class histograms, taken only on suspicion (they pause the JVM); off to never take one"),
    LEAK_ALLOCATION_SITES(
            "memwarden.leak.allocation.sites",
            "auto",
            "a JFR recording of old-object samples, read on suspicion for allocation stacks: on (from start-up), off,"
                    + " or auto (from start-up where JFR is cheap: already running, or a small"
                    + " -XX:FlightRecorderOptions=memorysize; from the first suspicion of a heap leak elsewhere)"),
    LEAK_HEAP_DUMP(
            "memwarden.leak.heapdump",
            "off",
            "on: one heap dump when a heap leak is first CONFIRMED (disk and rate permitting), analyzed outside this"
                    + " JVM by the analyzer plugged in (memwarden-server's), to name what holds the leak"),
    GC_SPIRAL_LIMIT(
            "memwarden.gc.spiral.limit",
            "off",
            "GC time not paid back by running after which the JVM saves evidence and halts (e.g. 30s); off never"),
    GC_SPIRAL_WEIGHT(
            "memwarden.gc.spiral.weight", "5", "milliseconds of running that pay back one of GC pause (1 to 100)"),
    GC_SPIRAL_HEAP_DUMP(
            "memwarden.gc.spiral.heapdump",
            "off",
            "on: a heap dump too before halting (if the disk keeps 1 GB free besides it)"),
    HEAP_DUMP_ON_OOM(
            "memwarden.heapdump.oom",
            "off",
            "on: the JVM's own heap dump on OutOfMemoryError, into the evidence directory (armed at start)"),
    EVIDENCE_DIR(
            "memwarden.evidence.dir",
            "tmp",
            "where JFR snapshots and heap dumps go; tmp is java.io.tmpdir/memwarden-<pid>"),
    ALERT_LOG_INTERVAL("memwarden.alert.log.interval", "1m", "at most one log line per rule per interval"),
    WEBHOOK_URL("memwarden.alert.webhook.url", "off", "POST alerts as JSON here (Slack-compatible text field)"),
    WEBHOOK_TIMEOUT("memwarden.alert.webhook.timeout", "5s", "connect and request timeout of the webhook"),
    WEBHOOK_RETRIES("memwarden.alert.webhook.retries", "3", "webhook retries after the first attempt (0 to 10)"),
    WEBHOOK_QUEUE("memwarden.alert.webhook.queue", "100", "alerts waiting for the webhook before new ones are dropped"),
    SERVER_HOST(
            "memwarden.server.host",
            "127.0.0.1",
            "the address the management API binds; any but loopback is logged as a warning"),
    SERVER_PORT("memwarden.server.port", "9400", "the management API's port; 0 lets the system choose one"),
    SERVER_TOKEN_FILE(
            "memwarden.server.token.file",
            "off",
            "a file whose first line is the admin token; off: MEMWARDEN_SERVER_TOKEN, else admin is refused");

    private final String key;
    private final String defaultValue;
    private final String description;

    ConfigKey(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The default, as it would be written in configuration; {@code off} where a feature is off by default. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The environment variable form: {@code MEMWARDEN_SAMPLE_INTERVAL}. */
    public String environmentName() {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public static Optional<ConfigKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
