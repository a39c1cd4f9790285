package dev.memwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM as {@code ./memwarden demo} starts one: a small heap, G1 and a small JFR buffer. */
final class DemoJvm {
    static final Path JAR = Path.of("target", "memwarden-demo.jar");

    private DemoJvm() {}

    /**
     * Runs the demo jar with {@code arguments} after the JVM options, its output to {@code log}; returns the output
     * once it has ended with status 0, within {@code run} and 90 s.
     */
    static String runToEnd(Path log, Duration run, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m",
                "-XX:+UseG1GC",
                "-XX:FlightRecorderOptions=memorysize=1m,stackdepth=32"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(run.toSeconds() + 90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not end within its " + run.toSeconds() + " s and 90 s:\n"
                    + Files.readString(log));
        }
        String text = Files.readString(log);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
