package dev.memwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memwarden.leak.LeakReport;
import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyzer plugged into core for the heap dump on CONFIRMED, on a real dump of a JVM that holds a map. */
class HprofDumpAnalyzerIT {
    @TempDir
    Path dir;

    @Test
    void theStaticFieldThatHoldsTheMapIsNamedWithItsPathFromTheRoot() throws Exception {
        Path dump = dir.resolve("held.hprof");
        ChildJvm.of(HeldOrders.class)
                .options("-Xmx128m")
                .args(dump.toString())
                .run()
                .expectExit(0);

        List<LeakReport.Holder> holders = new HprofDumpAnalyzer().holders(dump);

        assertThat(holders).isNotEmpty();
        LeakReport.Holder top = holders.get(0);
        assertThat(top.name()).contains("HeldOrders").contains("ORDERS");
        assertThat(top.evidence()).contains("HashMap").contains("20,000");
        assertThat(top.gcRootPath()).isNotEmpty();
        assertThat(top.gcRootPath().get(0)).startsWith("GC root: ");
        assertThat(top.nextStep()).contains(dir.toString());
        assertThat(dir.resolve("held.hprof.analysis.json")).isNotEmptyFile();
    }

    @Test
    void whatIsNotAHeapDumpFailsNamingTheLog() throws IOException {
        Path notADump = Files.writeString(dir.resolve("notes.hprof"), "not a heap dump");

        assertThatThrownBy(() -> new HprofDumpAnalyzer().holders(notADump))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended with status")
                .hasMessageContaining("notes.hprof.analysis.log");
    }
}
