package dev.memwarden.hprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.hprof.cli.HprofMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two dumps of one child JVM, before and after its listener registry doubled. */
class HeapDiffTest {
    @TempDir
    static Path temp;

    static Path before;
    static Path after;

    @BeforeAll
    static void dumpTwice() throws Exception {
        before = temp.resolve("before.hprof");
        after = temp.resolve("after.hprof");
        Dumps.dumpedBy(LeakyService.class, after.toString(), before.toString());
    }

    @Test
    void theRegistryThatGrewIsTheTopGrowthByExactlyWhatWasAdded() {
        HeapDiff.Success diff = (HeapDiff.Success) Dumps.diff(before, after);

        long added = LeakyService.LISTENERS - LeakyService.LISTENERS / 2;
        HeapDiff.FieldGrowth top = diff.staticFields().get(0);
        assertThat(top.field()).isEqualTo(LeakyService.class.getName() + ".REGISTRY");
        assertThat(top.objectClass()).isEqualTo("java.util.ArrayList");
        assertThat(top.growth()).isEqualTo(added * (16 + 1016));
        assertThat(diff.classes())
                .filteredOn(c -> c.className().equals(LeakyService.Listener.class.getName()))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.instancesAfter() - c.instancesBefore()).isEqualTo(added);
                    assertThat(c.growth()).isEqualTo(added * (16 + 1016));
                });
        // The sessions did not change between the dumps.
        assertThat(diff.classes())
                .extracting(HeapDiff.ClassGrowth::className)
                .doesNotContain(LeakyService.Session.class.getName());
        assertThat(diff.staticFields())
                .extracting(HeapDiff.FieldGrowth::field)
                .doesNotContain(LeakyService.class.getName() + ".SESSIONS_BY_ID");
    }

    @Test
    void theCommandLineComparesTwoDumpsAndNamesTheOneItCannotRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path notADump = temp.resolve("not-a-dump.hprof");
        Files.writeString(notADump, "hello");

        int compared = HprofMain.run(
                new String[] {"diff", before.toString(), after.toString(), "--json", "--top", "3"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int refused = HprofMain.run(
                new String[] {"diff", before.toString(), notADump.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(compared).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("{\"before\":")
                .contains("\"staticFields\":[{\"field\":\"" + LeakyService.class.getName() + ".REGISTRY\"");
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(notADump + ": not an HPROF heap dump");
    }
}
