package dev.memwarden.demo;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a run of a demo scenario is judged, by the scenario tests in {@code verify} and by the bench that runs every
 * scenario under several collectors: each leak must be reported, naming what leaks (for a heap leak, with an
 * allocation stack through the method that leaks) and blaming nothing else; a healthy service and the healthy shapes
 * must never be reported, at any check. A judgment is the list of what went wrong, empty when the run was right.
 */
public final class ScenarioJudge {
    /** How long a leak mode runs: long enough for the slowest mode's first report, on two busy cores. */
    public static final Duration LEAK_RUN = Duration.ofMinutes(2);

    /** How long a healthy shape runs: past its start-up, through two of its cycles. */
    public static final Duration SHAPE_RUN = Duration.ofSeconds(100);

    /** The suspect each leak must be reported with, as "KIND name". */
    static final Map<Leak, String> EXPECTED = Map.of(
            Leak.SESSIONS, "RESOURCE " + ChatSessions.NAME,
            Leak.SSE_CLIENTS, "RESOURCE " + TranscriptFeed.NAME,
            Leak.LISTENERS, "RESOURCE " + Calls.LISTENERS,
            Leak.DEAD_LETTERS, "RESOURCE " + DeadLetters.NAME,
            Leak.DIRECT_BUFFERS, "OFF_HEAP direct buffers",
            Leak.THREADS, "OFF_HEAP threads");

    /** For heap leaks, a method that the allocation stack of some allocation-site suspect must contain. */
    static final Map<Leak, String> ALLOCATED_IN = Map.of(
            Leak.SESSIONS, "ChatSessions.append",
            Leak.SSE_CLIENTS, "TranscriptFeed$SseClient.deliver",
            Leak.LISTENERS, "Calls.handle");

    /** A second suspect a leak really causes: a dropped SSE client's socket is never closed either. */
    static final Map<Leak, String> ALSO_TRUE = Map.of(Leak.SSE_CLIENTS, "OFF_HEAP file descriptors");

    private static final Pattern FOUND = Pattern.compile("memwarden found a leak after ([^:]+):");
    private static final long SHAPE_MUST_MOVE_BYTES = 16L << 20;
    private static final int SHAPE_CHECKS = 6;

    private ScenarioJudge() {}

    /**
     * What a demo run with {@code --json} printed: its final report's verdict and suspects ("KIND name", best first),
     * the allocation stacks of those suspects, one per line, and when the first report of a leak came, if one did.
     */
    public record DemoRun(
            String verdict, List<String> suspects, String allocationStacks, Optional<String> firstReportAfter) {

        /**
         * Reads a demo run's output: its last JSON report, read back through the report's own codec.
         *
         * @throws IllegalArgumentException when the output holds no JSON report
         */
        public static DemoRun parse(String output) {
            LeakReport report = output.lines()
                    .filter(line -> line.startsWith("{\"verdict\""))
                    .reduce((first, second) -> second)
                    .map(LeakReport::fromJson)
                    .orElseThrow(() -> new IllegalArgumentException("no JSON report in the output"));
            List<String> suspects = report.suspects().stream()
                    .map(s -> s.kind() + " " + s.name())
                    .toList();
            String stacks = report.suspects().stream()
                    .map(LeakReport.Suspect::allocationStack)
                    .filter(Objects::nonNull)
                    .map(frames -> String.join(",", frames))
                    .collect(Collectors.joining("\n"));
            Matcher found = FOUND.matcher(output);
            Optional<String> after = found.find() ? Optional.of(found.group(1)) : Optional.empty();
            return new DemoRun(report.verdict().name(), suspects, stacks, after);
        }
    }

    /** The suspect a leak must be reported with, as "KIND name". */
    public static String expectedSuspect(Leak leak) {
        String expected = EXPECTED.get(leak);
        if (expected == null) {
            throw new IllegalArgumentException("a healthy service has no suspect");
        }
        return expected;
    }

    /** What went wrong in a run of the demo with this leak; empty when it was judged right. */
    public static List<String> problems(Leak leak, String output) {
        DemoRun run;
        try {
            run = DemoRun.parse(output);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (leak == Leak.NONE) {
            if (!run.verdict().equals("NONE")) {
                problems.add("a healthy service was reported " + run.verdict());
            }
            if (!run.suspects().isEmpty()) {
                problems.add("a healthy service has suspects: " + run.suspects());
            }
            if (!output.contains("no leak found")) {
                problems.add("the final report does not say 'no leak found'");
            }
            run.firstReportAfter().ifPresent(after -> problems.add("a leak was reported after " + after));
            return problems;
        }
        String expected = expectedSuspect(leak);
        if (run.verdict().equals("NONE")) {
            problems.add("the leak was not reported by the final check");
        }
        if (!run.suspects().contains(expected)) {
            problems.add("no suspect " + expected + " among " + run.suspects());
        }
        // Nothing else is blamed but the classes that grow with it and what the leak really drags along.
        List<String> blamed = run.suspects().stream()
                .filter(s -> !s.equals(expected)
                        && !s.startsWith("CLASS ")
                        && !s.startsWith("ALLOCATION_SITE ")
                        && !s.equals(ALSO_TRUE.get(leak)))
                .toList();
        if (!blamed.isEmpty()) {
            problems.add("blamed wrongly: " + blamed);
        }
        if (run.firstReportAfter().isEmpty()) {
            problems.add("no leak was reported while the service ran");
        }
        String method = ALLOCATED_IN.get(leak);
        if (method != null) {
            if (run.suspects().stream().noneMatch(s -> s.startsWith("ALLOCATION_SITE "))) {
                problems.add("no allocation-site suspect");
            }
            if (!run.allocationStacks().contains(method)) {
                problems.add("no allocation stack through " + method);
            }
        }
        return problems;
    }

    /** The report a healthy shape's run printed last, on its {@code FINAL} line. */
    public static Optional<LeakReport> finalShapeReport(String output) {
        return output.lines()
                .filter(line -> line.startsWith("FINAL "))
                .findFirst()
                .map(line -> LeakReport.fromJson(line.substring("FINAL ".length())));
    }

    /**
     * What went wrong in a run of a healthy shape: a check that reported anything, too few checks, a final report
     * that is not NONE, or a live set that hardly moved, so the run proved nothing.
     */
    public static List<String> problems(HealthyShapes.Shape shape, String output) {
        List<String> problems = new ArrayList<>();
        List<String> checks =
                output.lines().filter(line -> line.startsWith("CHECK ")).toList();
        if (checks.size() < SHAPE_CHECKS) {
            problems.add(shape.cliName() + ": " + checks.size() + " checks, fewer than " + SHAPE_CHECKS);
        }
        checks.stream()
                .filter(line -> !line.contains(" NONE "))
                .forEach(line -> problems.add("a false alarm: " + line));
        Optional<LeakReport> last = finalShapeReport(output);
        if (last.isEmpty() || last.get().verdict() != LeakReport.Verdict.NONE) {
            problems.add("the final report is not NONE");
        }
        Optional<String[]> range = output.lines()
                .filter(line -> line.startsWith("LIVE-SET-RANGE "))
                .findFirst()
                .map(line -> line.split(" ", -1));
        if (range.isEmpty()) {
            problems.add("no LIVE-SET-RANGE line");
        } else {
            long moved = Long.parseLong(range.get()[2]) - Long.parseLong(range.get()[1]);
            if (moved < SHAPE_MUST_MOVE_BYTES) {
                problems.add("the live set moved " + (moved >> 20) + " MiB, less than " + (SHAPE_MUST_MOVE_BYTES >> 20)
                        + ": the run proved nothing");
            }
        }
        return problems;
    }
}
