package dev.memwarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shutdown hook in a real JVM: System.exit runs every step, abandoning the hanging one. */
class ShutdownHookIT {
    @Test
    void exitRunsTheStepsAndLogsTheReport() throws Exception {
        String output = ChildJvm.of(ShutdownHookProbe.class)
                .timeout(Duration.ofSeconds(30))
                .run()
                .expectExit(0)
                .output();

        assertThat(output).contains("ready").contains("step server").contains("step pool");
        assertThat(output).containsPattern("DRAIN\\s+hang\\s+TIMED_OUT");
        assertThat(output.indexOf("step server")).isLessThan(output.indexOf("step pool"));
    }
}
