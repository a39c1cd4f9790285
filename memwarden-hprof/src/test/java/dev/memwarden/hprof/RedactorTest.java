package dev.memwarden.hprof;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.memwarden.hprof.cli.HprofMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A redacted copy of this JVM's dump keeps no secret and analyzes as the original does. */
class RedactorTest {
    /** Held in this JVM when it is dumped, as a password would be: a Latin-1 string's bytes. */
    static final String SECRET = "memwarden-redact-secret-" + Long.toHexString(System.nanoTime());

    static String secret;

    @TempDir
    static Path temp;

    static Path dump;

    @BeforeAll
    static void dumpThisJvm() throws Exception {
        secret = new String(SECRET.toCharArray()); // a string of its own, not only the constant
        dump = temp.resolve("with-secret.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
    }

    private static boolean contains(Path file, String text) throws Exception {
        byte[] content = Files.readAllBytes(file);
        byte[] wanted = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + wanted.length <= content.length; i++) {
            if (Arrays.equals(content, i, i + wanted.length, wanted, 0, wanted.length)) {
                return true;
            }
        }
        return false;
    }

    private static int run(PrintStream err, String... args) {
        return HprofMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), err);
    }

    @Test
    void theCopyHoldsNoStringBytesAndAnalyzesAsTheOriginal() throws Exception {
        Path copy = temp.resolve("redacted.hprof");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status =
                run(new PrintStream(err, true, StandardCharsets.UTF_8), "redact", dump.toString(), copy.toString());

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(contains(dump, SECRET)).as("the original holds the secret").isTrue();
        assertThat(contains(copy, SECRET)).as("the copy holds the secret").isFalse();
        assertThat(Files.size(copy)).isEqualTo(Files.size(dump));
        assertThat(err.toString(StandardCharsets.UTF_8)).containsPattern("primitive arrays zeroed");
        HeapAnalysis.Success original = (HeapAnalysis.Success) Dumps.analyze(dump, Dumps.TOP_10);
        HeapAnalysis.Success redacted = (HeapAnalysis.Success) Dumps.analyze(copy, Dumps.TOP_10);
        assertThat(redacted.histogram()).isEqualTo(original.histogram());
        assertThat(redacted.retention()).isEqualTo(original.retention());
        assertThat(Files.getPosixFilePermissions(copy))
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void anExistingFileIsNeverWrittenOverAndACorruptDumpLeavesNothing() throws Exception {
        Path existing = temp.resolve("existing.hprof");
        Files.writeString(existing, "keep me");
        Path truncated = temp.resolve("truncated.hprof");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(dump), (int) (Files.size(dump) / 2)));
        Path target = temp.resolve("from-truncated.hprof");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

        int overwrite = run(errors, "redact", dump.toString(), existing.toString());
        int corrupt = run(errors, "redact", truncated.toString(), target.toString());

        assertThat(overwrite).isEqualTo(2);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(corrupt).isEqualTo(2);
        assertThat(target).doesNotExist();
        assertThat(target.resolveSibling("from-truncated.hprof.part")).doesNotExist();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(existing + " exists; redact never writes over a file")
                .contains("the dump is truncated");
        assertThat(secret).isEqualTo(SECRET);
    }
}
