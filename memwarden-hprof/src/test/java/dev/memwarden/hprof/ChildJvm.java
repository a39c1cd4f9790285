package dev.memwarden.hprof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a class of the tests in a child JVM with a small heap, as a service with known leaks that dumps itself. */
final class ChildJvm {
    private ChildJvm() {}

    /** Runs it to its end and returns what it printed; fails the test if it fails or takes over two minutes. */
    static String run(Class<?> main, String... args) throws Exception {
        return run(List.of("-Xmx256m"), main, args);
    }

    /** Runs it with these JVM options instead of the 256 MB heap. */
    static String run(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }
}
