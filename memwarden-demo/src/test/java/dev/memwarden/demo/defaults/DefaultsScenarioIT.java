package dev.memwarden.demo.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.memwarden.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
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
 * The fast subset of the defaults scenarios that {@code verify} runs, under G1: one heap leak, one off-heap leak and one
 * healthy shape, each in a service that embeds memwarden with its defaults and nothing else. The leaks end once they
 * are reported with the right kind of suspect, which must come before their limit; the hand-written LRU cache runs
 * past its fill and must never be CONFIRMED and end with no leak reported. memwarden-bench's DefaultsScenarios runs
 * every scenario under each collector.
 */
class DefaultsScenarioIT {
    /** Past the LRU cache's fill (75 s) and start-up, through a few checks at the default interval. */
    static final Duration HEALTHY_RUN = Duration.ofMinutes(4);

    /** The direct-buffer leak reaches its limit in about 3.5 minutes; the heap leak its in about 6. */
    static final Duration LEAK_RUN = Duration.ofMinutes(5);

    @TempDir
    Path output;

    @TestFactory
    Stream<DynamicTest> reportedBeforeTheLimitAndNeverConfirmedWhenHealthy() {
        ExecutorService runners = Executors.newFixedThreadPool(3);
        Map<Scenario, Future<DefaultsRun>> runs = new EnumMap<>(Scenario.class);
        for (Scenario scenario : List.of(Scenario.MAP, Scenario.DIRECT, Scenario.LRU_CACHE)) {
            runs.put(scenario, runners.submit(() -> run(scenario)));
        }
        runners.shutdown();
        return runs.entrySet().stream()
                .map(run -> dynamicTest(run.getKey().cliName(), () -> {
                    DefaultsRun result = run.getValue().get(LEAK_RUN.toSeconds() + 180, TimeUnit.SECONDS);
                    assertThat(result.problems()).as(result.toString()).isEmpty();
                }));
    }

    private DefaultsRun run(Scenario scenario) throws Exception {
        Duration limit = scenario.leaks() ? LEAK_RUN : HEALTHY_RUN;
        ChildJvm child = ChildJvm.of(DefaultsService.class)
                .options(scenario.jvmOptions())
                .options("-XX:+UseG1GC")
                .logTo(output.resolve(scenario.cliName() + ".log"))
                .timeout(limit.plusSeconds(60));
        child = scenario.leaks()
                ? child.args(scenario.cliName(), Long.toString(limit.toSeconds()), "until-named")
                : child.args(scenario.cliName(), Long.toString(limit.toSeconds()));
        ChildJvm.Result result = child.run().expectExit(0);
        return DefaultsRun.parse(scenario, result.output());
    }
}
