package dev.memwarden.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM for tests and scenarios: this JVM's own {@code java} (so a run on another JDK starts its children there),
 * this JVM's class path or a jar, its output gathered in a file, a deadline past which it is killed, and its peak
 * resident set. Shared by every module's tests and benches through memwarden-core's test-jar.
 *
 * <pre>{@code
 * ChildJvm.Result result = ChildJvm.of(Probe.class).options("-Xmx64m").args(dir.toString()).run();
 * assertThat(result.exitCode()).as(result.output()).isZero();
 * }</pre>
 */
public final class ChildJvm {
    private static final long POLL_MILLIS = 20;

    private final List<String> target;
    private final List<String> options = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final List<String> launcher = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(2);
    private @Nullable Path log;

    private ChildJvm(List<String> target) {
        this.target = target;
    }

    /** A JVM that runs {@code main} on this JVM's class path. */
    public static ChildJvm of(Class<?> main) {
        return new ChildJvm(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    }

    /** A JVM that runs an executable jar. */
    public static ChildJvm ofJar(Path jar) {
        return new ChildJvm(List.of("-jar", jar.toString()));
    }

    /** JVM options, before the main class or jar. */
    public ChildJvm options(String... jvmOptions) {
        options.addAll(List.of(jvmOptions));
        return this;
    }

    public ChildJvm options(List<String> jvmOptions) {
        options.addAll(jvmOptions);
        return this;
    }

    /**
     * A command that starts the JVM for this one, its own arguments first: for example a shell that moves itself
     * into a cgroup and then {@code exec}s the JVM's command, which it receives as {@code "$0" "$@"}.
     */
    public ChildJvm launchedBy(String... command) {
        launcher.addAll(List.of(command));
        return this;
    }

    /** Arguments to the main class or jar. */
    public ChildJvm args(String... arguments) {
        args.addAll(List.of(arguments));
        return this;
    }

    /** How long it may run before it is killed; two minutes unless set. */
    public ChildJvm timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Keeps its output in this file, which stays after the run; a temporary file, deleted, otherwise. */
    public ChildJvm logTo(Path file) {
        this.log = file;
        return this;
    }

    /**
     * Its process id, what it printed (standard output and error together), its exit status (-1 where it was killed), whether it
     * ended within its time, and its peak resident set (VmHWM, read every 20 ms; 0 where /proc cannot say).
     */
    public record Result(long pid, String output, int exitCode, boolean finished, long peakRssBytes) {
        public List<String> lines() {
            return output.lines().toList();
        }

        /** Fails with the output when the child was killed or exited with another status than {@code expected}. */
        public Result expectExit(int expected) {
            if (!finished || exitCode != expected) {
                throw new AssertionError(
                        (finished ? "the child JVM exited with " + exitCode : "the child JVM was killed") + ", not "
                                + expected + "; it printed:\n" + output);
            }
            return this;
        }
    }

    /** Starts it with its output left to the caller: for tests that read it as it comes or kill it themselves. */
    public Process start() {
        try {
            return new ProcessBuilder(command())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting a child JVM: " + command(), e);
        }
    }

    /** Runs it to its end, or until its time is up and it is killed. */
    public Result run() throws IOException, InterruptedException {
        Path file = log != null ? log : Files.createTempFile("memwarden-child-", ".log");
        try {
            Process child = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(file.toFile())
                    .start();
            long deadline = System.nanoTime() + timeout.toNanos();
            long peak = 0;
            boolean finished = false;
            while (!finished && System.nanoTime() < deadline) {
                peak = Math.max(peak, peakRss(child.pid()));
                finished = child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            String output = Files.readString(file, StandardCharsets.UTF_8);
            return new Result(child.pid(), output, finished ? child.exitValue() : -1, finished, peak);
        } finally {
            if (log == null) {
                Files.deleteIfExists(file);
            }
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(launcher);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        command.addAll(target);
        command.addAll(args);
        return command;
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
