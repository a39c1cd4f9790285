package dev.memwarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shutdown hook in a real JVM: System.exit runs every step, abandoning the hanging one. */
class ShutdownHookIT {
    @Test
    void exitRunsTheStepsAndLogsTheReport() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = Path.of("target", "classes") + File.pathSeparator + Path.of("target", "test-classes");
        Process process = new ProcessBuilder(java, "-cp", classpath, ShutdownHookProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("ready").contains("step server").contains("step pool");
        assertThat(output).containsPattern("DRAIN\\s+hang\\s+TIMED_OUT");
        assertThat(output.indexOf("step server")).isLessThan(output.indexOf("step pool"));
    }
}
