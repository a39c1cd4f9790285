package dev.memwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    static final Duration RUN = ScenarioJudge.LEAK_RUN;

    @TempDir
    Path output;

    @TestFactory
    Stream<DynamicTest> eachLeakIsNamedAndAHealthyServiceIsNotReported() throws Exception {
        List<Leak> modes =
                selected(System.getProperty("memwarden.scenarios", "none,sessions,sse-clients,direct-buffers"));
        ExecutorService two = Executors.newFixedThreadPool(2);
        Map<Leak, Future<String>> runs = new LinkedHashMap<>();
        for (Leak leak : modes) {
            runs.put(leak, two.submit(() -> run(leak)));
        }
        two.shutdown();
        return modes.stream()
                .map(leak -> dynamicTest(leak.cliName(), () -> {
                    String output = runs.get(leak).get(RUN.toSeconds() * modes.size() + 300, TimeUnit.SECONDS);
                    assertThat(ScenarioJudge.problems(leak, output)).as(output).isEmpty();
                }));
    }

    private String run(Leak leak) throws IOException, InterruptedException {
        Path log = output.resolve(leak.cliName() + ".log");
        return DemoJvm.runToEnd(
                log,
                RUN,
                DemoMain.class,
                "--leak",
                leak.cliName(),
                "--duration",
                RUN.toSeconds() + "s",
                "--plain",
                "--json");
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
