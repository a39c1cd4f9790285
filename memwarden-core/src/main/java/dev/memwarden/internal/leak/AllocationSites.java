package dev.memwarden.internal.leak;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.memwarden.internal.Format;
import dev.memwarden.internal.GcAlgorithm;
import dev.memwarden.leak.LeakReport;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Layer 5: where the objects that stay alive were allocated, and what keeps them alive.
 *
 * <p>A continuous JFR recording with one event, {@code jdk.OldObjectSample}: the JVM samples allocations and keeps
 * the samples whose objects survive, at most 256, with their allocation stacks. On suspicion the recording is
 * dumped with paths to GC roots; the search for them stops at {@link #ROOT_CUTOFF} (it can run for minutes on
 * large object arrays), and a sample without a path is better than a stalled JVM. The samples are grouped by type
 * and allocating frames: "objects of type T allocated at these frames, kept through this reference chain". While
 * the live set rises, only sites where some of the samples have lived through half the rise count: a leak holds
 * objects from all through it, where the requests and sessions a service lets go after seconds hold only young ones,
 * and may still hold more of them (the sampler keeps what survives, not what accumulates). Those that count are
 * ranked by their samples alive, old and young: a leak that speeds up holds more young objects than old.
 *
 * <p>Where old-object sampling is off or unsafe (generational ZGC, where recent JDKs turn it off because its weak
 * handles stall allocation; Shenandoah, which searches for roots only when the heap is idle) the recording holds
 * {@code jdk.ObjectAllocationSample} instead, throttled, joined with the classes that layer 4 saw grow: "T grows;
 * T is allocated mostly at these frames".
 */
final class AllocationSites implements AllocationSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AllocationSites.class.getName());
    static final String ROOT_CUTOFF = "1 s";
    static final int FRAMES = 12;
    static final int MAX_SUSPECTS = 3;
    /**
     * While the live set rises, a site is named only where one in this many of its samples lived through half the
     * rise: half of a steady leak's do, and a quarter of a leak that speeds up (frames kept for every dropped client,
     * while clients keep dropping); a service's requests and sessions, let go after seconds, have none.
     */
    static final int SETTLED_SHARE = 8;

    private final Recording recording;
    private final boolean oldObjects;

    private AllocationSites(Recording recording, boolean oldObjects) {
        this.recording = recording;
        this.oldObjects = oldObjects;
    }

    /** Starts the recording, or says why it cannot run here. */
    static AllocationSites start() {
        return start(oldObjectSamplingSafe(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList()));
    }

    /** Starts the recording of old-object samples, or of allocation samples when {@code oldObjects} is false. */
    static AllocationSites start(boolean oldObjects) {
        if (!FlightRecorder.isAvailable()) {
            throw new IllegalStateException("JFR is not available in this JVM");
        }
        Recording recording = new Recording();
        recording.setName("memwarden-allocation-sites");
        recording.setToDisk(false);
        if (oldObjects) {
            recording.enable("jdk.OldObjectSample").withStackTrace().with("cutoff", ROOT_CUTOFF);
        } else {
            recording.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "50/s");
            recording.setMaxAge(Duration.ofMinutes(10));
        }
        recording.start();
        return new AllocationSites(recording, oldObjects);
    }

    /** The JVM option that keeps JFR's own memory small; memwarden's default turns layer 5 on when it is set. */
    static final String SMALL_JFR = "-XX:FlightRecorderOptions=memorysize=1m,stackdepth=32";

    private static final Pattern MEMORY_SIZE = Pattern.compile("memorysize=(\\d+)([kKmMgG]?)");

    /**
     * Whether a recording costs this JVM little: JFR already runs (someone else paid for it), or the JVM was started
     * with a JFR memory size of at most 4 MB. With the JVM's default options JFR takes about 15 MB of native memory
     * (NMT "Tracing") before the first event, too much to start unasked in a 512 MB container.
     */
    static boolean cheapHere() {
        if (FlightRecorder.isInitialized()) {
            return true;
        }
        try {
            String options = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("FlightRecorderOptions")
                    .getValue();
            Matcher m = MEMORY_SIZE.matcher(options == null ? "" : options);
            if (!m.find()) {
                return false;
            }
            long size = Long.parseLong(m.group(1));
            long bytes =
                    switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "k" -> size << 10;
                        case "m" -> size << 20;
                        case "g" -> size << 30;
                        default -> size;
                    };
            return bytes <= 4L << 20;
        } catch (IllegalArgumentException e) {
            return false; // no such option in this JVM
        }
    }

    /** Whether these collectors support old-object sampling with paths to roots without harm. */
    static boolean oldObjectSamplingSafe(List<String> collectors) {
        return collectors.stream()
                .noneMatch(n -> GcAlgorithm.ofBean(n).orElse(GcAlgorithm.G1) == GcAlgorithm.SHENANDOAH
                        || GcAlgorithm.generationalZgc(n));
    }

    boolean samplesOldObjects() {
        return oldObjects;
    }

    @Override
    public List<LeakReport.Suspect> suspects(Set<String> growingClasses, Duration risingFor) {
        if (!oldObjects && growingClasses.isEmpty()) {
            return List.of(); // allocation samples say something only about classes that grow: spare the dump
        }
        Path file = null;
        try {
            file = Files.createTempFile(
                    "memwarden-allocation-sites-",
                    ".jfr",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            return oldObjects
                    ? fromOldObjects(events, growingClasses, risingFor)
                    : fromAllocations(events, growingClasses);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "memwarden: reading the allocation-site recording failed", e);
            return List.of();
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "memwarden: could not delete " + file, e);
                }
            }
        }
    }

    /** One group of samples: a type allocated at the same frames. */
    static final class Site {
        final String type;
        final List<String> frames;
        long weight;
        long samples;
        long oldestAgeMillis;

        /** Samples that lived through half the rise. */
        long settled;

        @Nullable
        List<String> rootPath;

        Site(String type, List<String> frames) {
            this.type = type;
            this.frames = frames;
        }

        boolean passesThroughServiceCode() {
            return frames.stream().anyMatch(frame -> !inTheJdk(frame));
        }

        String aliveEvidence(long alive) {
            return String.format(
                    Locale.ROOT,
                    "%d of %d sampled objects still alive (the oldest %s) are %s allocated here",
                    samples,
                    alive,
                    Format.duration(oldestAgeMillis / 1000),
                    type);
        }

        String settledEvidence(long settledAgeMillis, long alive) {
            return String.format(
                    Locale.ROOT,
                    "%d of %d sampled objects still alive are %s allocated here, %d of them older than %s (half the"
                            + " rise); the oldest %s",
                    samples,
                    alive,
                    type,
                    settled,
                    Format.duration(settledAgeMillis / 1000),
                    Format.duration(oldestAgeMillis / 1000));
        }

        LeakReport.Suspect suspect(String evidence, String nextStep) {
            return new LeakReport.AllocationSite(
                    type + " allocated at " + firstOwnFrame(frames), evidence, nextStep, frames, rootPath);
        }
    }

    static List<LeakReport.Suspect> fromOldObjects(
            List<RecordedEvent> events, Set<String> growingClasses, Duration risingFor) {
        Map<String, Site> sites = new LinkedHashMap<>();
        long settledAgeMillis = risingFor.toMillis() / 2;
        long total = 0;
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.OldObjectSample")) {
                continue;
            }
            RecordedObject object = event.getValue("object");
            RecordedClass type = object == null ? null : object.getValue("type");
            if (type == null) {
                continue;
            }
            if (allocatedByMemwarden(event.getStackTrace())) {
                continue;
            }
            total++;
            Site site = site(sites, typeName(type.getName()), event.getStackTrace());
            long ageMillis = event.getDuration("objectAge").toMillis();
            site.samples++;
            if (ageMillis >= settledAgeMillis) {
                site.settled++;
            }
            site.oldestAgeMillis = Math.max(site.oldestAgeMillis, ageMillis);
            if (site.rootPath == null) {
                site.rootPath = rootPath(event, object);
            }
        }
        boolean byAge = weighByAge(sites, growingClasses, settledAgeMillis > 0);
        long all = total;
        return ranked(sites, growingClasses).stream()
                .map(site -> site.suspect(
                        (byAge ? site.settledEvidence(settledAgeMillis, all) : site.aliveEvidence(all))
                                + (growingClasses.contains(site.type) ? "; the class histograms see it grow" : ""),
                        "read the allocation stack and the path from the GC root: the object at the root end"
                                + " holds what accumulates; bound it or remove entries when they are done"))
                .toList();
    }

    /**
     * Weighs each site by its samples alive, or, while the live set rises, by nothing where under one in {@value
     * #SETTLED_SHARE} of them lived through half the rise. False, with every site weighed, when it does not rise or
     * nothing has lived that long yet.
     */
    static boolean weighByAge(Map<String, Site> sites, Set<String> growingClasses, boolean rising) {
        boolean byAge = rising
                && sites.values().stream()
                        .anyMatch(s -> s.settled > 0 && (growingClasses.isEmpty() || growingClasses.contains(s.type)));
        for (Site site : sites.values()) {
            site.weight = !byAge || site.settled * SETTLED_SHARE >= site.samples ? site.samples : 0;
        }
        return byAge;
    }

    /** Allocation samples of the growing classes, grouped by site; with none growing, nothing to say. */
    static List<LeakReport.Suspect> fromAllocations(List<RecordedEvent> events, Set<String> growingClasses) {
        Map<String, Site> sites = new LinkedHashMap<>();
        Map<String, Long> weightByType = new LinkedHashMap<>();
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                continue;
            }
            RecordedClass type = event.getValue("objectClass");
            String name = type == null ? "" : typeName(type.getName());
            if (!growingClasses.contains(name) || allocatedByMemwarden(event.getStackTrace())) {
                continue;
            }
            Site site = site(sites, name, event.getStackTrace());
            long weight = event.getLong("weight");
            site.samples++;
            site.weight += weight;
            weightByType.merge(name, weight, Long::sum);
        }
        return ranked(sites, growingClasses).stream()
                .map(site -> site.suspect(
                        String.format(
                                Locale.ROOT,
                                "%s grows in the class histograms; %.0f %% of its sampled allocations come from here"
                                        + " (no paths to GC roots with this collector)",
                                site.type,
                                100.0 * site.weight / Math.max(1, weightByType.getOrDefault(site.type, 1L))),
                        "read the allocation stack: whatever keeps these objects after this code returns is the"
                                + " leak; a heap dump shows the path from the GC root"))
                .toList();
    }

    /**
     * An allocation made by memwarden's own detection: this class reading its recording, which the throttled sampler
     * sees too, and what the detector keeps of its histograms and timeline, which the old-object sampler sees alive.
     * Bounded, and never the leak; a service whose allocations pass through memwarden's bounded structures keeps
     * those, which are in other packages.
     */
    private static boolean allocatedByMemwarden(@Nullable RecordedStackTrace stack) {
        if (stack == null) {
            return false;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.isJavaFrame()
                    && DetectionTypes.detectionFrame(frame.getMethod().getType().getName())) {
                return true;
            }
        }
        return false;
    }

    private static Site site(Map<String, Site> sites, String type, @Nullable RecordedStackTrace stack) {
        List<String> frames = new ArrayList<>();
        if (stack != null) {
            for (RecordedFrame frame : stack.getFrames()) {
                if (frames.size() == FRAMES) {
                    break;
                }
                if (frame.isJavaFrame()) {
                    frames.add(frame(frame));
                }
            }
        }
        return sites.computeIfAbsent(type + "@" + String.join("|", frames), k -> new Site(type, List.copyOf(frames)));
    }

    /**
     * The groups that explain the most: where layer 4 names growing classes, only theirs with at least a twentieth of
     * the samples (what is alive is not necessarily what grows); without, those with at least a tenth. Where none of
     * the first {@value #MAX_SUSPECTS} passes through the service's own code, the last place goes to the first that
     * does: the buffers of a leaked connection are allocated by the JDK's threads, and can outnumber the service's
     * own objects that keep the connection, whose stack is the one that tells where to look.
     */
    static List<Site> ranked(Map<String, Site> sites, Set<String> growingClasses) {
        long total = sites.values().stream().mapToLong(s -> s.weight).sum();
        List<Site> qualifying = sites.values().stream()
                .filter(s -> growingClasses.isEmpty()
                        ? s.weight * 10 >= total
                        : growingClasses.contains(s.type) && s.weight * 20 >= total)
                .sorted(Comparator.comparing((Site s) -> !growingClasses.contains(s.type))
                        .thenComparing(
                                Comparator.comparingLong((Site s) -> s.weight).reversed()))
                .toList();
        List<Site> top = new ArrayList<>(qualifying.subList(0, Math.min(MAX_SUSPECTS, qualifying.size())));
        if (top.stream().noneMatch(Site::passesThroughServiceCode)) {
            qualifying.stream()
                    .skip(top.size())
                    .filter(Site::passesThroughServiceCode)
                    .findFirst()
                    .ifPresent(own -> top.set(top.size() - 1, own));
        }
        return top;
    }

    private static String frame(RecordedFrame frame) {
        String type = readableType(frame.getMethod().getType().getName());
        int line = frame.getLineNumber();
        return type + "." + frame.getMethod().getName() + (line >= 0 ? ":" + line : "");
    }

    /**
     * A lambda's class as {@code Outer$$Lambda}: JFR names it with a counter, its address and an id
     * ({@code DemoService$$Lambda$164+0x00007fc11c0a4000.925308434}), which say nothing to a reader and differ from
     * run to run.
     */
    static String readableType(String jfrName) {
        int lambda = jfrName.indexOf("$$Lambda");
        return lambda < 0 ? jfrName : jfrName.substring(0, lambda + "$$Lambda".length());
    }

    /** The first frame outside the JDK: the code that asked for the object. */
    static String firstOwnFrame(List<String> frames) {
        return frames.stream()
                .filter(f -> !inTheJdk(f))
                .findFirst()
                .orElse(frames.isEmpty() ? "an unknown frame" : frames.get(0));
    }

    private static boolean inTheJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.");
    }

    /** From the GC root to the sampled object, one step per reference. */
    private static @Nullable List<String> rootPath(RecordedEvent event, RecordedObject object) {
        List<String> fromObject = new ArrayList<>();
        RecordedObject current = object;
        String via = "";
        int guard = 0;
        while (current != null && guard++ < 10_000) {
            RecordedClass type = current.getValue("type");
            String description = current.getValue("description");
            fromObject.add((type == null ? "?" : typeName(type.getName()))
                    + (description == null ? "" : " (" + description + ")")
                    + via);
            RecordedObject reference = current.getValue("referrer");
            if (reference == null) {
                break;
            }
            RecordedObject field = reference.getValue("field");
            RecordedObject array = reference.getValue("array");
            String step = field != null
                    ? "." + field.getValue("name")
                    : array != null ? "[" + array.getLong("index") + "]" : "";
            long skipped = reference.getLong("skip");
            via = "";
            current = reference.getValue("object");
            if (current != null) {
                fromObject.add(skipped > 0 ? "… " + skipped + " references skipped" : null);
                via = step;
            }
        }
        fromObject.removeIf(s -> s == null);
        if (fromObject.size() < 2) {
            return null; // no path: the search was cut off or the object is a root itself
        }
        List<String> path = new ArrayList<>();
        RecordedObject root = event.getValue("root");
        if (root != null) {
            path.add("GC root: " + root.getValue("type") + " (" + root.getValue("description") + ")");
        }
        for (int i = fromObject.size() - 1; i >= 0; i--) {
            path.add(fromObject.get(i));
        }
        return path;
    }

    /** {@code [B} as {@code byte[]}, {@code [Ljava.lang.String;} as {@code java.lang.String[]}. */
    static String typeName(String jvmName) {
        int dims = 0;
        while (dims < jvmName.length() && jvmName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return jvmName;
        }
        String element =
                switch (jvmName.substring(dims)) {
                    case "Z" -> "boolean";
                    case "B" -> "byte";
                    case "C" -> "char";
                    case "S" -> "short";
                    case "I" -> "int";
                    case "J" -> "long";
                    case "F" -> "float";
                    case "D" -> "double";
                    default -> jvmName.substring(dims + 1, jvmName.length() - 1);
                };
        return element + "[]".repeat(dims);
    }

    @Override
    public void close() {
        recording.close();
    }
}
