package dev.memwarden.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GC spiral guard in a real JVM driven into a GC death spiral: it saves the evidence, says why, and halts. */
class GcSpiralIT {
    @TempDir
    Path temp;

    @Test
    void aJvmInAGcSpiralSavesItsEvidenceAndHalts() throws Exception {
        String output = ChildJvm.of(GcSpiralProbe.class)
                .options(
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-XX:-UseGCOverheadLimit",
                        "-XX:StartFlightRecording=settings=default")
                .args(temp.toString())
                .logTo(temp.resolve("output.txt"))
                .timeout(Duration.ofSeconds(120))
                .run()
                .expectExit(GcSpiralGuard.EXIT_CODE)
                .output();

        assertThat(output)
                .contains("guarded PT3S")
                .contains("memwarden: GC death spiral")
                .contains("halting");
        assertThat(output).doesNotContain("OutOfMemoryError");
        try (var files = Files.list(temp)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anySatisfy(
                            name -> assertThat(name).startsWith("gc-spiral-").endsWith(".jfr"));
        }
    }
}
