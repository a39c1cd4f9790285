package dev.memwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
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
 * Live sets that move without leaking, each in a child JVM with the demo's heap and settings: memwarden must not
 * report a leak at any check, and the live set must really have moved, or the run proved nothing.
 */
class HealthyShapesIT {
    static final Duration RUN = ScenarioJudge.SHAPE_RUN;

    @TempDir
    Path output;

    @TestFactory
    Stream<DynamicTest> noShapeIsReportedAsALeak() {
        ExecutorService two = Executors.newFixedThreadPool(2);
        Map<HealthyShapes.Shape, Future<String>> runs = new EnumMap<>(HealthyShapes.Shape.class);
        for (HealthyShapes.Shape shape : HealthyShapes.Shape.values()) {
            runs.put(shape, two.submit(() -> run(shape)));
        }
        two.shutdown();
        return runs.entrySet().stream()
                .map(run -> dynamicTest(run.getKey().cliName(), () -> {
                    String text = run.getValue().get(3 * RUN.toSeconds() + 300, TimeUnit.SECONDS);
                    assertThat(ScenarioJudge.problems(run.getKey(), text))
                            .as(text)
                            .isEmpty();
                }));
    }

    private String run(HealthyShapes.Shape shape) throws Exception {
        Path log = output.resolve(shape.name() + ".log");
        String text = DemoJvm.runToEnd(log, RUN, HealthyShapes.class, shape.name(), Long.toString(RUN.toSeconds()));
        return text;
    }
}
