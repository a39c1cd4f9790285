package dev.memwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it: a child JVM with a small heap per leak mode, the service under its own load, and
 * memwarden's final report read from the output. {@code ./mvnw verify} runs a fast subset, two at a time; {@code
 * -Dmemwarden.scenarios=all} runs every mode.
 */
class DemoScenarioIT {
    static final Duration RUN = Duration.ofSeconds(120);
    private static final Pattern SUSPECT =
            Pattern.compile("\\{\"kind\":\"(\\w+)\",\"name\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern STACK = Pattern.compile("\"allocationStack\":\\[([^\\]]*)\\]");
    private static final Pattern VERDICT = Pattern.compile("^\\{\"verdict\":\"(\\w+)\"");

    /** The suspect each leak must be reported with. */
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

    @TempDir
    Path output;

    /** One finished run: its whole output, the final verdict and the suspects as "KIND name", best first. */
    record DemoRun(String output, String verdict, List<String> suspects, String allocationStacks) {}

    @TestFactory
    Stream<DynamicTest> eachLeakIsNamedAndAHealthyServiceIsNotReported() throws Exception {
        List<Leak> modes =
                selected(System.getProperty("memwarden.scenarios", "none,sessions,sse-clients,direct-buffers"));
        ExecutorService two = Executors.newFixedThreadPool(2);
        Map<Leak, Future<DemoRun>> runs = new LinkedHashMap<>();
        for (Leak leak : modes) {
            runs.put(leak, two.submit(() -> run(leak)));
        }
        two.shutdown();
        return modes.stream()
                .map(leak -> dynamicTest(leak.cliName(), () -> {
                    DemoRun run = runs.get(leak).get(RUN.toSeconds() * modes.size() + 300, TimeUnit.SECONDS);
                    if (leak == Leak.NONE) {
                        assertThat(run.verdict()).as(run.output()).isEqualTo("NONE");
                        assertThat(run.suspects()).as(run.output()).isEmpty();
                        assertThat(run.output()).contains("no leak found");
                        assertThat(run.output()).doesNotContain("memwarden found a leak after"); // at no check
                        return;
                    }
                    assertThat(run.verdict()).as(run.output()).isIn("SUSPECTED", "CONFIRMED");
                    assertThat(run.suspects()).as(run.output()).contains(EXPECTED.get(leak));
                    // Nothing else is blamed but the classes that grow with it and what the leak really drags along.
                    assertThat(run.suspects())
                            .as(run.output())
                            .allMatch(s -> s.equals(EXPECTED.get(leak))
                                    || s.startsWith("CLASS ")
                                    || s.startsWith("ALLOCATION_SITE ")
                                    || ALSO_TRUE.getOrDefault(leak, "").equals(s));
                    assertThat(run.output()).contains("memwarden found a leak after");
                    if (ALLOCATED_IN.containsKey(leak)) {
                        assertThat(run.suspects()).as(run.output()).anyMatch(s -> s.startsWith("ALLOCATION_SITE "));
                        assertThat(run.allocationStacks()).as(run.output()).contains(ALLOCATED_IN.get(leak));
                    }
                }));
    }

    private DemoRun run(Leak leak) throws IOException, InterruptedException {
        Path log = output.resolve(leak.cliName() + ".log");
        String text = DemoJvm.runToEnd(
                log,
                RUN,
                "-jar",
                DemoJvm.JAR.toString(),
                "--leak",
                leak.cliName(),
                "--duration",
                RUN.toSeconds() + "s",
                "--plain",
                "--json");
        String json = text.lines()
                .filter(line -> VERDICT.matcher(line).find())
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no JSON report in the output:\n" + text));
        Matcher verdict = VERDICT.matcher(json);
        verdict.find();
        List<String> suspects = new ArrayList<>();
        Matcher suspect = SUSPECT.matcher(json);
        while (suspect.find()) {
            suspects.add(suspect.group(1) + " " + suspect.group(2));
        }
        StringBuilder stacks = new StringBuilder();
        Matcher stack = STACK.matcher(json);
        while (stack.find()) {
            stacks.append(stack.group(1)).append('\n');
        }
        return new DemoRun(text, verdict.group(1), suspects, stacks.toString());
    }

    private static List<Leak> selected(String names) {
        if (names.equals("all")) {
            return List.of(Leak.values());
        }
        return Arrays.stream(names.split(",", -1))
                .map(String::trim)
                .map(Leak::parse)
                .toList();
    }
}
