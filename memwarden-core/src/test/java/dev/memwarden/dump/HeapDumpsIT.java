package dev.memwarden.dump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        ChildJvm.Result process = ChildJvm.of(OutOfMemoryProbe.class)
                .options("-Xmx32m")
                .args(directory.toString())
                .timeout(Duration.ofSeconds(60))
                .run();
        String output = process.output();
        assertThat(process.finished()).as(output).isTrue();

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
