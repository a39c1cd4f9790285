package dev.memwarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GC spiral guard in a real JVM driven into a GC death spiral: it saves the evidence, says why, and halts. */
class GcSpiralIT {
    @TempDir
    Path temp;

    @Test
    void aJvmInAGcSpiralSavesItsEvidenceAndHalts() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = Path.of("target", "classes") + File.pathSeparator + Path.of("target", "test-classes");
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-XX:-UseGCOverheadLimit",
                        "-XX:StartFlightRecording=settings=default",
                        "-cp",
                        classpath,
                        GcSpiralProbe.class.getName(),
                        temp.toString())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("output.txt").toFile())
                .start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(temp.resolve("output.txt"), StandardCharsets.UTF_8);

        assertThat(ended).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(GcSpiralGuard.EXIT_CODE);
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
