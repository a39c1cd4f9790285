package dev.memwarden.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memwarden.testing.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real heap dumps of this JVM, small enough for a test: the heap in use is a few tens of megabytes. */
class HeapDumpsTest {
    @TempDir
    Path temp;

    private final ManualClock clock = ManualClock.at2026();

    @Test
    void aDumpIsAnHprofFileForTheOwnerOnlyUnderAClearName() throws IOException {
        Path directory = temp.resolve("dumps");
        HeapDumps dumps =
                HeapDumps.builder(directory).reserveBytes(0).clock(clock).build();

        HeapDumps.Result result = dumps.capture();

        assertThat(result).isInstanceOf(HeapDumps.Captured.class);
        HeapDumps.Captured captured = (HeapDumps.Captured) result;
        assertThat(captured.file().getFileName().toString())
                .isEqualTo("heap-" + ProcessHandle.current().pid() + "-20261123T000000Z.hprof");
        assertThat(captured.bytes()).isEqualTo(Files.size(captured.file())).isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(captured.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .isEqualTo("rwx------");
        try (InputStream in = Files.newInputStream(captured.file())) {
            assertThat(new String(in.readNBytes(18), StandardCharsets.US_ASCII)).isEqualTo("JAVA PROFILE 1.0.2");
        }
    }

    @Test
    void rateLimitedRetainedAndNeverOverAnExistingFile() throws IOException {
        HeapDumps dumps = HeapDumps.builder(temp)
                .reserveBytes(0)
                .retain(2)
                .minInterval(Duration.ofMinutes(10))
                .clock(clock)
                .build();
        Path squatter = temp.resolve("heap-" + ProcessHandle.current().pid() + "-20261123T000000Z.hprof");
        Files.writeString(squatter, "not a dump");

        HeapDumps.Captured first = (HeapDumps.Captured) dumps.capture();
        assertThat(Files.readString(squatter)).isEqualTo("not a dump"); // written beside it, not over it
        HeapDumps.Result tooSoon = dumps.capture();
        clock.advance(Duration.ofMinutes(10));
        HeapDumps.Captured second = (HeapDumps.Captured) dumps.capture();

        assertThat(first.file().getFileName().toString()).endsWith("-20261123T000000Z-1.hprof");
        assertThat(tooSoon).isInstanceOfSatisfying(HeapDumps.Refused.class, r -> assertThat(r.reason())
                .contains("at most one every 10m"));
        // Three dumps in the directory (the squatter counts, by its name), two kept: the oldest went.
        assertThat(dumps.dumps()).containsExactly(first.file(), second.file());
        assertThat(squatter).doesNotExist();
    }

    @Test
    void refusedWithTheFiguresWhenTheDiskIsShort() throws IOException {
        HeapDumps dumps = HeapDumps.builder(temp)
                .reserveBytes(Long.MAX_VALUE / 4)
                .estimatedBytes(() -> 300L << 20)
                .build();

        HeapDumps.Result result = dumps.capture();

        assertThat(result).isInstanceOfSatisfying(HeapDumps.Refused.class, r -> assertThat(r.reason())
                .contains("free in " + temp)
                .contains("needs about 300.0 MiB plus the"));
        assertThat(dumps.dumps()).isEmpty();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> HeapDumps.builder(temp).retain(0)).hasMessageContaining("keep 1 to 100");
        assertThatThrownBy(() -> HeapDumps.builder(temp).reserveBytes(-1)).hasMessageContaining("negative");
    }
}
