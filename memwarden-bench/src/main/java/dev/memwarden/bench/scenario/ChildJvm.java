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
    private static final long POLL_MILLIS = 20;

    /**
     * What the child printed, whether it ended within its time (a child past its time was killed), and its peak
     * resident set (VmHWM, last read 20 ms or less before it ended; 0 where /proc cannot say).
     */
    record Output(List<String> lines, boolean finished, long peakRssBytes) {}

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
            long deadline = System.nanoTime() + limit.toNanos();
            long peak = 0;
            boolean finished = false;
            while (!finished && System.nanoTime() < deadline) {
                peak = Math.max(peak, peakRss(child.pid()));
                finished = child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            return new Output(Files.readAllLines(log, StandardCharsets.UTF_8), finished, peak);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A live process's VmHWM in bytes; 0 once it has gone or where there is no /proc. */
    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The child ended between two polls: the last reading stands.
        }
        return 0;
    }
}
