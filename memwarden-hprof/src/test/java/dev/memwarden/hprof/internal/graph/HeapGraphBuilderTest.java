package dev.memwarden.hprof.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.memwarden.hprof.Dumps;
import dev.memwarden.hprof.HeapAnalysis;
import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofReader;
import dev.memwarden.hprof.internal.format.HprofVisitor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph read in two halves on two threads, against one reader, and a corrupt record in either half. */
class HeapGraphBuilderTest {
    @TempDir
    static Path temp;

    static Path dump;

    @BeforeAll
    static void dumpThisJvm() throws Exception {
        dump = temp.resolve("this-jvm.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
    }

    @Test
    void twoReadersOfTheTwoHalvesBuildTheGraphOneReaderBuilds() throws Exception {
        try (DumpFile file = DumpFile.open(dump)) {
            DumpCensus census = new DumpCensus(file);
            HprofReader.read(file, census, offset -> {});
            assertThat(census.secondHalfStart())
                    .as("a heap dump record to split at")
                    .isLessThan(file.size());

            HeapGraph one = HeapGraphBuilder.build(
                    file, census, ObjectLayout.COMPRESSED, IndexMemory.heap(), Progress.NONE, false);
            HeapGraph two =
                    HeapGraphBuilder.build(file, census, ObjectLayout.COMPRESSED, IndexMemory.heap(), Progress.NONE);

            assertThat(two.size()).isEqualTo(one.size());
            assertThat(column(two, two::id)).isEqualTo(column(one, one::id));
            assertThat(column(two, two::typeOf)).isEqualTo(column(one, one::typeOf));
            assertThat(column(two, two::shallowBytes)).isEqualTo(column(one, one::shallowBytes));
            assertThat(column(two, two::firstEdge)).isEqualTo(column(one, one::firstEdge));
            int edges = one.endEdge(one.size() - 1);
            assertThat(two.endEdge(two.size() - 1)).isEqualTo(edges);
            long[] targets = IntStream.range(0, edges).mapToLong(one::target).toArray();
            assertThat(IntStream.range(0, edges).mapToLong(two::target).toArray())
                    .isEqualTo(targets);
            long weak = IntStream.range(0, edges).filter(one::isWeak).count();
            assertThat(IntStream.range(0, edges).filter(e -> two.isWeak(e) != one.isWeak(e)))
                    .isEmpty();
            assertThat(weak).as("weak references, on both sides").isPositive();
        }
    }

    private static long[] column(HeapGraph graph, IntToLongFunction value) {
        return IntStream.range(0, graph.size()).mapToLong(value).toArray();
    }

    @Test
    void aCorruptRecordInTheSecondHalfIsReportedAsOneReaderReportsIt() throws Exception {
        Path corrupt = withClassOfFirstInstance(true, "corrupt-second-half.hprof");

        HeapAnalysis analysis = Dumps.analyze(corrupt, Dumps.TOP_10);

        assertThat(analysis).isInstanceOf(HeapAnalysis.Failure.class);
        assertThat(((HeapAnalysis.Failure) analysis).reason())
                .contains("INSTANCE DUMP")
                .contains("is of class 0x7f7f7f7f7f7f7f7f, which the dump does not hold");
    }

    /**
     * The first half fails at once while the second goes on writing the spilled arrays: they must stay mapped until
     * it stops, or the process crashes (on Java 17 to 21, where unmapping is not checked) instead of reporting.
     */
    @Test
    void aCorruptRecordInTheFirstHalfIsReportedOnceTheSecondHalfHasStopped(@TempDir Path spill) throws Exception {
        Path corrupt = withClassOfFirstInstance(false, "corrupt-first-half.hprof");

        HeapAnalysis analysis = Dumps.analyze(corrupt, Dumps.TOP_10.withSpillDirectory(spill));

        assertThat(analysis).isInstanceOf(HeapAnalysis.Failure.class);
        assertThat(((HeapAnalysis.Failure) analysis).reason())
                .contains("INSTANCE DUMP")
                .contains("is of class 0x7f7f7f7f7f7f7f7f, which the dump does not hold");
    }

    /** A copy of the dump whose first instance in the chosen half claims a class the dump does not hold. */
    private Path withClassOfFirstInstance(boolean inSecondHalf, String name) throws Exception {
        long[] victim = new long[1];
        try (DumpFile file = DumpFile.open(dump)) {
            DumpCensus census = new DumpCensus(file);
            HprofReader.read(file, census, offset -> {});
            long secondHalf = census.secondHalfStart();
            assertThat(secondHalf).as("a heap dump record to split at").isLessThan(file.size());
            HprofReader.read(
                    file,
                    new HprofVisitor() {
                        @Override
                        public void instance(long id, long classId, long dataOffset, long length) {
                            if (victim[0] == 0 && (dataOffset > secondHalf) == inSecondHalf) {
                                // the class identifier, then the length, precede the fields
                                victim[0] = dataOffset - 4 - 8;
                            }
                        }
                    },
                    offset -> {});
        }
        Path corrupt = temp.resolve(name);
        byte[] bytes = Files.readAllBytes(dump);
        for (int i = 0; i < 8; i++) {
            bytes[(int) victim[0] + i] = (byte) 0x7f;
        }
        Files.write(corrupt, bytes);
        return corrupt;
    }
}
