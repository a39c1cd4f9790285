package dev.memwarden.leak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM's own dump on OutOfMemoryError, armed at run time, in a child JVM that really runs out of heap. */
class HeapDumpsIT {
    @TempDir
    Path temp;

    @Test
    void anArmedJvmDumpsItsHeapIntoTheDirectoryWhenItRunsOutOfMemory() throws Exception {
        Path directory = temp.resolve("dumps");
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = Path.of("target", "classes") + File.pathSeparator + Path.of("target", "test-classes");
        Process process = new ProcessBuilder(
                        java, "-Xmx32m", "-cp", classpath, OutOfMemoryProbe.class.getName(), directory.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output)
                .contains("armed")
                .contains("java.lang.OutOfMemoryError")
                .contains("Dumping heap to");
        List<Path> dumps;
        try (Stream<Path> files = Files.list(directory)) {
            dumps = files.toList();
        }
        assertThat(dumps).singleElement().satisfies(dump -> {
            assertThat(dump.getFileName().toString()).isEqualTo("java_pid" + process.pid() + ".hprof");
            assertThat(Files.size(dump))
                    .as("the dump holds the hoard that filled most of the 32 MB heap; the child said:%n%s", output)
                    .isGreaterThan(16L << 20);
        });
    }
}
