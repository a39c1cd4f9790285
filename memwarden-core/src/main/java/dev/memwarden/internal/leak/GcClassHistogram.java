package dev.memwarden.internal.leak;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A class histogram of the live heap, as {@code jcmd <pid> GC.class_histogram} prints it, taken through the
 * DiagnosticCommand MBean. Taking one runs a full collection and walks the heap with the JVM stopped: tens of
 * milliseconds on a small heap, seconds on a large one. That is why the detector takes one only on suspicion,
 * and no more often than its rate limit allows.
 *
 * <p>Only the {@code keep} classes with the most bytes are kept, each name cut at {@link #MAX_NAME} characters, so
 * a histogram's memory is bounded: {@link #footprintBytes(int)}.
 */
record GcClassHistogram(Instant takenAt, Map<String, Entry> classes) {
    /** One class's line: {@code name} includes the module, as the JVM prints it. */
    record Entry(String name, long instances, long bytes) {}

    /** How a class changed between two histograms. */
    record Growth(String name, long instances, long bytes) {}

    /** Class names are kept to this many characters; longer ones (generated classes) are cut. */
    static final int MAX_NAME = 256;

    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$");

    /**
     * The prefix of the JVM's filler classes (JDK 19 and later): dead space, formatted as objects so that the heap
     * stays walkable, such as what a full collection leaves in place in regions it does not compact. They are no one's
     * objects; counted, they would read as a class that grows with the heap and raise the total a rise is verified
     * by. JDK 17 fills with {@code int[]}, which cannot be told apart.
     */
    private static final String FILLER = "jdk.internal.vm.Filler";

    GcClassHistogram {
        classes = Map.copyOf(classes);
    }

    /** Takes a histogram of this JVM (a full GC and a heap walk: see the class comment). */
    static GcClassHistogram take(Instant at, int keep) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            return parse(at, String.valueOf(out), keep);
        } catch (JMException | RuntimeException e) {
            throw new IllegalStateException("could not take a class histogram: " + e.getMessage(), e);
        }
    }

    static GcClassHistogram parse(Instant at, String text, int keep) {
        List<Entry> entries = new ArrayList<>();
        text.lines().forEach(line -> {
            Matcher m = LINE.matcher(line);
            if (m.matches() && !isFiller(m.group(3))) {
                String name = m.group(3);
                if (name.length() > MAX_NAME) {
                    name = name.substring(0, MAX_NAME);
                }
                entries.add(new Entry(name, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        });
        entries.sort(Comparator.comparingLong(Entry::bytes).reversed());
        Map<String, Entry> kept = new HashMap<>();
        for (Entry e : entries.subList(0, Math.min(keep, entries.size()))) {
            kept.merge(
                    e.name(), e, (a, b) -> new Entry(a.name(), a.instances() + b.instances(), a.bytes() + b.bytes()));
        }
        return new GcClassHistogram(at, kept);
    }

    /**
     * Whether a printed class is a filler: {@code jdk.internal.vm.FillerObject}, or an array such as {@code
     * [Ljdk.internal.vm.FillerElement;}.
     */
    private static boolean isFiller(String printed) {
        return printed.startsWith(FILLER) || printed.startsWith("[L" + FILLER);
    }

    /**
     * The most a histogram of {@code keep} classes can hold: per class an entry (32 bytes) and its name (a
     * 24-byte String over an array of up to {@link #MAX_NAME} UTF-16 characters), plus the immutable map's table
     * of two references per class at twice the size, and the record.
     */
    static long footprintBytes(int keep) {
        long name = 24 + align(16 + 2L * MAX_NAME);
        long table = align(16 + 4L * 2 * 2 * keep);
        return 24 + 32 + table + keep * (32 + name);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** The bytes of the classes kept: the live heap, less the small tail past the classes kept. */
    long totalBytes() {
        long total = 0;
        for (Entry entry : classes.values()) {
            total += entry.bytes();
        }
        return total;
    }

    /** Classes whose instances and bytes both grew from {@code before} to this one, most bytes first. */
    List<Growth> grownSince(GcClassHistogram before) {
        List<Growth> grown = new ArrayList<>();
        for (Entry now : classes.values()) {
            Entry then = before.classes.get(now.name());
            long instances = now.instances() - (then == null ? 0 : then.instances());
            long bytes = now.bytes() - (then == null ? 0 : then.bytes());
            if (instances > 0 && bytes > 0) {
                grown.add(new Growth(now.name(), instances, bytes));
            }
        }
        grown.sort(Comparator.comparingLong(Growth::bytes).reversed());
        return grown;
    }

    /** The Java name of a printed class, without the module the JVM appends: {@code [B (java.base@17)} is {@code byte[]}. */
    static String className(String printed) {
        int space = printed.indexOf(' ');
        return AllocationSites.typeName(space < 0 ? printed : printed.substring(0, space));
    }
}
