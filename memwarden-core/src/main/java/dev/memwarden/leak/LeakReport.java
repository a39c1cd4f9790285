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
        OFF_HEAP
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
     * Something that grows.
     *
     * @param evidence the numbers behind it, in a sentence
     * @param nextStep what to do about it, in a sentence
     */
    public record Suspect(
            Kind kind,
            String name,
            @Nullable Double growthBytesPerHour,
            @Nullable Double growthCountPerHour,
            String evidence,
            String nextStep,
            @Nullable List<String> allocationStack,
            @Nullable List<String> gcRootPath) {

        public Suspect {
            name = cut(name);
            evidence = cut(evidence);
            nextStep = cut(nextStep);
            allocationStack = frames(allocationStack);
            gcRootPath = frames(gcRootPath);
        }

        private static String cut(String text) {
            return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
        }

        private static @Nullable List<String> frames(@Nullable List<String> frames) {
            if (frames == null) {
                return null;
            }
            return frames.stream().limit(MAX_FRAMES).map(Suspect::cut).toList();
        }
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
