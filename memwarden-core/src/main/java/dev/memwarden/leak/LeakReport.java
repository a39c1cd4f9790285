package dev.memwarden.leak;

import dev.memwarden.internal.Format;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Whether the service leaks, with the evidence: the live set's growth and the time left, and the suspects ranked
 * by how much of the growth they explain, each with its numbers, evidence and next step. {@link #toJson()} is
 * the form the management API serves; {@link #describe()} the one a person reads.
 *
 * @param confidence 0 to 1: how sure the statistics are that the growth is real
 * @param suspects best first
 */
public record LeakReport(
        Verdict verdict, double confidence, Instant checkedAt, LiveSet liveSet, List<Suspect> suspects) {

    /** A report keeps at most this many suspects, the best ones, so that its memory is bounded. */
    public static final int MAX_SUSPECTS = 12;

    /** Names, evidence and next steps are cut at this many characters. */
    public static final int MAX_TEXT = 320;

    /** Allocation stacks and root paths keep this many entries of at most {@value #MAX_TEXT} characters. */
    public static final int MAX_FRAMES = 24;

    public LeakReport {
        suspects = List.copyOf(suspects.size() > MAX_SUSPECTS ? suspects.subList(0, MAX_SUSPECTS) : suspects);
    }

    /** NONE: no growth the data can show; SUSPECTED: growth at 99 % confidence; CONFIRMED: at 99.9 %. */
    public enum Verdict {
        NONE,
        SUSPECTED,
        CONFIRMED
    }

    /** What a suspect is. */
    public enum Kind {
        RESOURCE,
        CLASS,
        ALLOCATION_SITE,
        OFF_HEAP,
        HOLDER
    }

    /**
     * The live set after GC and where its trend leads.
     *
     * @param timeToExhaustionSeconds at the current growth, until the live set fills the maximum heap
     * @param timeToContainerLimitSeconds at the current RSS growth, until the process reaches the container limit
     */
    public record LiveSet(
            long bytes,
            double growthBytesPerHour,
            @Nullable Long timeToExhaustionSeconds,
            @Nullable Long timeToContainerLimitSeconds) {}

    /**
     * Something that grows, one record per kind: a registered {@link Resource}, a {@link GrowingClass}, an {@link
     * AllocationSite}, an {@link OffHeap} resource, or the {@link Holder} a heap dump found. Each says what grows, by
     * how much, the evidence in a sentence and the next step; an allocation site also where its objects were
     * allocated and what keeps them.
     */
    public sealed interface Suspect {
        Kind kind();

        /** What grows: a structure's name, a class's Java name, a site, or an off-heap resource. */
        String name();

        @Nullable
        Double growthBytesPerHour();

        @Nullable
        Double growthCountPerHour();

        /** The numbers behind it, in a sentence. */
        String evidence();

        /** What to do about it, in a sentence. */
        String nextStep();

        /** Where its objects were allocated, or the call that crossed a structure's warning line; null if unknown. */
        default @Nullable List<String> allocationStack() {
            return null;
        }

        /** The reference chain from a GC root to one of its objects, root first; null if unknown. */
        default @Nullable List<String> gcRootPath() {
            return null;
        }

        /** This suspect without its allocation stack and root path, as a report's history keeps it. */
        Suspect withoutTraces();
    }

    /**
     * A structure registered with the resource registry that only grows.
     *
     * @param allocationStack the call that crossed the structure's warning line, where it has one and it was crossed
     */
    public record Resource(
            String name,
            @Nullable Double growthBytesPerHour,
            Double growthCountPerHour,
            String evidence,
            String nextStep,
            @Nullable List<String> allocationStack)
            implements Suspect {
        public Resource {
            name = cut(name);
            evidence = cut(evidence);
            nextStep = cut(nextStep);
            allocationStack = frames(allocationStack);
        }

        @Override
        public Kind kind() {
            return Kind.RESOURCE;
        }

        @Override
        public Resource withoutTraces() {
            return new Resource(name, growthBytesPerHour, growthCountPerHour, evidence, nextStep, null);
        }
    }

    /** A class whose instances grew in number and bytes across the last class histograms. */
    public record GrowingClass(
            String name, Double growthBytesPerHour, Double growthCountPerHour, String evidence, String nextStep)
            implements Suspect {
        public GrowingClass {
            name = cut(name);
            evidence = cut(evidence);
            nextStep = cut(nextStep);
        }

        @Override
        public Kind kind() {
            return Kind.CLASS;
        }

        @Override
        public GrowingClass withoutTraces() {
            return this;
        }
    }

    /**
     * Objects of a growing type allocated at one frame and still alive.
     *
     * @param allocationStack where they were allocated, innermost frame first
     * @param gcRootPath what keeps one of them, from its GC root; null where the recording has no paths
     */
    public record AllocationSite(
            String name,
            String evidence,
            String nextStep,
            @Nullable List<String> allocationStack,
            @Nullable List<String> gcRootPath)
            implements Suspect {
        public AllocationSite {
            name = cut(name);
            evidence = cut(evidence);
            nextStep = cut(nextStep);
            allocationStack = frames(allocationStack);
            gcRootPath = frames(gcRootPath);
        }

        @Override
        public Kind kind() {
            return Kind.ALLOCATION_SITE;
        }

        /** Sites are counted in samples, not in bytes an hour. */
        @Override
        public @Nullable Double growthBytesPerHour() {
            return null;
        }

        @Override
        public @Nullable Double growthCountPerHour() {
            return null;
        }

        @Override
        public AllocationSite withoutTraces() {
            return new AllocationSite(name, evidence, nextStep, null, null);
        }
    }

    /**
     * Memory or a resource outside the heap that grows: direct buffers, metaspace, threads, descriptors, native.
     *
     * @param timeToLimitSeconds at this growth, until it reaches what bounds it (the maximum direct memory or
     *     metaspace, the thread or descriptor limit); null where nothing bounds it
     */
    public record OffHeap(
            String name,
            @Nullable Double growthBytesPerHour,
            @Nullable Double growthCountPerHour,
            String evidence,
            String nextStep,
            @Nullable Long timeToLimitSeconds)
            implements Suspect {
        public OffHeap {
            name = cut(name);
            evidence = cut(evidence);
            nextStep = cut(nextStep);
        }

        /** A suspect with no limit in sight. */
        public OffHeap(
                String name,
                @Nullable Double growthBytesPerHour,
                @Nullable Double growthCountPerHour,
                String evidence,
                String nextStep) {
            this(name, growthBytesPerHour, growthCountPerHour, evidence, nextStep, null);
        }

        @Override
        public Kind kind() {
            return Kind.OFF_HEAP;
        }

        @Override
        public OffHeap withoutTraces() {
            return this;
        }
    }

    /**
     * What keeps a confirmed leak, as the analysis of a heap dump taken on CONFIRMED found it: a static field, a
     * collection or the object that dominates the growth, with its element type and where it accumulates.
     *
     * @param name the holder: {@code static com.acme.Orders.BY_ID}, or the object and field that keep it
     * @param evidence what it holds and retains, and its accumulation point, in a sentence
     * @param gcRootPath how a GC root keeps it; null where the analysis found no strong path
     */
    public record Holder(String name, String evidence, String nextStep, @Nullable List<String> gcRootPath)
            implements Suspect {
        public Holder {
            name = cut(name);
            evidence = cut(evidence);
            nextStep = cut(nextStep);
            gcRootPath = frames(gcRootPath);
        }

        @Override
        public Kind kind() {
            return Kind.HOLDER;
        }

        /** A dump is one moment: it says what holds the growth, not how fast it grows. */
        @Override
        public @Nullable Double growthBytesPerHour() {
            return null;
        }

        @Override
        public @Nullable Double growthCountPerHour() {
            return null;
        }

        @Override
        public Holder withoutTraces() {
            return new Holder(name, evidence, nextStep, null);
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    private static @Nullable List<String> frames(@Nullable List<String> frames) {
        if (frames == null) {
            return null;
        }
        return frames.stream().limit(MAX_FRAMES).map(LeakReport::cut).toList();
    }

    /** The report as the management API serves it; {@link #fromJson(String)} reads it back. */
    public String toJson() {
        return LeakReportJson.write(this);
    }

    /**
     * Reads a report that {@link #toJson()} wrote. Fields it does not know are skipped.
     *
     * @throws IllegalArgumentException naming the field, when the text is not a leak report
     */
    public static LeakReport fromJson(String json) {
        return LeakReportJson.read(json);
    }

    /** The report in readable text: the verdict line, the live set line, then each suspect. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT, "leak verdict: %s (confidence %.3f) at %s%n", verdict, confidence, checkedAt));
        out.append(String.format(
                Locale.ROOT,
                "live set after GC: %s, %s%s%s%n",
                Format.bytes(liveSet.bytes()),
                // Zero unless the live set's own rise is confirmed: "growing 0 B/h" beside a leak verdict read as a
                // contradiction.
                liveSet.growthBytesPerHour() > 0
                        ? "growing " + Format.bytes((long) liveSet.growthBytesPerHour()) + "/h"
                        : "no confirmed rise",
                liveSet.timeToExhaustionSeconds() == null
                        ? ""
                        : ", heap exhausted in " + Format.duration(liveSet.timeToExhaustionSeconds()),
                liveSet.timeToContainerLimitSeconds() == null
                        ? ""
                        : ", container limit reached in " + Format.duration(liveSet.timeToContainerLimitSeconds())));
        for (int i = 0; i < suspects.size(); i++) {
            Suspect s = suspects.get(i);
            out.append(String.format(Locale.ROOT, "%d. %s %s: %s%n", i + 1, s.kind(), s.name(), s.evidence()));
            out.append("   next: ").append(s.nextStep()).append(System.lineSeparator());
            if (s.allocationStack() != null) {
                s.allocationStack()
                        .forEach(f -> out.append("     at ").append(f).append(System.lineSeparator()));
            }
            if (s.gcRootPath() != null) {
                out.append("   kept alive by, from the GC root:").append(System.lineSeparator());
                s.gcRootPath().forEach(step -> out.append("     ").append(step).append(System.lineSeparator()));
            }
        }
        return out.toString();
    }

    /** The time until the heap is exhausted, when the live set grows. */
    public OptionalLong timeToExhaustion() {
        Long seconds = liveSet.timeToExhaustionSeconds();
        return seconds == null ? OptionalLong.empty() : OptionalLong.of(seconds);
    }
}
