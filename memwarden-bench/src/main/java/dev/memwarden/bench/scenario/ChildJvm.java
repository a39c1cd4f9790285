package dev.memwarden.bench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A scenario's child JVM: this JVM's java and class path, its output gathered in a temporary file. */
final class ChildJvm {
    /** What the child printed, and whether it ended within its time; a child past its time was killed. */
    record Output(List<String> lines, boolean finished) {}

    private ChildJvm() {}

    static Output run(Duration limit, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("memwarden-scenario-", ".log");
        try {
            Process child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished = child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            return new Output(Files.readAllLines(log, StandardCharsets.UTF_8), finished);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
