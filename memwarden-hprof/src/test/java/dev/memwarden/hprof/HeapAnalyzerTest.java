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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The histogram on a real dump of this JVM, checked against the JVM's own histogram, and on dumps built in code. */
class HeapAnalyzerTest {
    /** Planted in this JVM's heap before it is dumped: 32 bytes each with compressed oops (12 + 4 + 8 + 4). */
    static class Planted {
        final int number;
        final long stamp;
        final Object next;

        Planted(int number, Object next) {
            this.number = number;
            this.stamp = number * 31L;
            this.next = next;
        }
    }

    /** A subclass whose one byte fits the padding of its superclass: still 32 bytes. */
    static final class PlantedChild extends Planted {
        final byte flag;

        PlantedChild(int number, Object next) {
            super(number, next);
            this.flag = (byte) number;
        }
    }

    /** Retains exactly 16 + 56 + 10 × 816 = 8,232 bytes with compressed oops: itself, the outer array, ten rows. */
    static final class RetainedProbe {
        final long[][] rows = new long[10][100];
    }

    /** 16 bytes; in a chain, each link dominates the rest. */
    static final class Link {
        @SuppressWarnings("unused") // read by the heap dump, not by code
        Link next;
    }

    static final RetainedProbe PROBE = new RetainedProbe();
    static final int LINKS = 1_000;
    static Link chain = new Link();

    static final int PLANTED = 12_345;
    static final int CHILDREN = 1_000;
    static final List<Object> HELD = new ArrayList<>();

    @TempDir
    static Path temp;

    static Path dump;
    static String jvmHistogram;

    @BeforeAll
    static void dumpThisJvm() throws Exception {
        Object next = "tail";
        for (int i = 0; i < PLANTED; i++) {
            next = new Planted(i, next);
            HELD.add(next);
        }
        for (int i = 0; i < CHILDREN; i++) {
            HELD.add(new PlantedChild(i, next));
        }
        for (int i = 1; i < LINKS; i++) {
            Link head = new Link();
            head.next = chain;
            chain = head;
        }
        dump = temp.resolve("this-jvm.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
        jvmHistogram = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
    }

    /** The JVM's own figures for a class: instances and bytes, from GC.class_histogram. */
    private static long[] jvmRow(String className) {
        Matcher m = Pattern.compile(
                        "\\s+\\d+:\\s+(\\d+)\\s+(\\d+)\\s+" + Pattern.quote(className) + "\\s*$", Pattern.MULTILINE)
                .matcher(jvmHistogram);
        assertThat(m.find()).as("the JVM's histogram has %s", className).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static HeapAnalysis.Success successOf(HeapAnalysis analysis) {
        assertThat(analysis).isInstanceOf(HeapAnalysis.Success.class);
        return (HeapAnalysis.Success) analysis;
    }

    private static ClassHistogram histogramOf(Path file) {
        return successOf(Dumps.histogram(file)).histogram();
    }

    @Test
    void thePlantedObjectsAreCountedAndSizedAsTheJvmItselfCountsThem() {
        ClassHistogram histogram = histogramOf(dump);

        for (Class<?> planted : List.of(Planted.class, PlantedChild.class)) {
            long[] jvm = jvmRow(planted.getName());
            ClassHistogram.Row row = histogram.row(planted.getName()).orElseThrow();
            assertThat(row.instances())
                    .isEqualTo(planted == Planted.class ? PLANTED : CHILDREN)
                    .isEqualTo(jvm[0]);
            assertThat(row.shallowBytes()).isEqualTo(jvm[1]).isEqualTo(row.instances() * 32);
        }
        assertThat(histogram.layout()).isEqualTo(ObjectLayout.COMPRESSED);
        assertThat(histogram.shallowBytes()).isGreaterThan(PLANTED * 32L);
    }

    private static HeapAnalysis.Success analysisOf(Path file) {
        return successOf(Dumps.analyze(file, Dumps.TOP_10));
    }

    @Test
    void retainedSizesOfPlantedStructuresAreExact() {
        ClassHistogram histogram = analysisOf(dump).histogram();

        assertThat(histogram.row(RetainedProbe.class.getName()).orElseThrow().retainedBytes())
                .hasValue(16 + 56 + 10 * 816);
        // A chain's links are counted once, by its head: not 1000 + 999 + ... links.
        assertThat(histogram.row(Link.class.getName()).orElseThrow().retainedBytes())
                .hasValue(LINKS * 16L);
        // Each planted object is held by the list and by the next one: the list's array dominates it, not its peers.
        assertThat(histogram.row(Planted.class.getName()).orElseThrow().retainedBytes())
                .hasValue(PLANTED * 32L);
        assertThat(histogram.row(PlantedChild.class.getName()).orElseThrow().retainedBytes())
                .hasValue(CHILDREN * 32L);
    }

    @Test
    void aClassLoadedByTwoLoadersIsTwoRowsEachNamingItsLoader() throws Exception {
        Path twice = temp.resolve("two-loaders.hprof");
        Dumps.dumpedBy(TwoLoaders.class, twice.toString());
        String payload = TwoLoaders.Payload.class.getName();

        HeapAnalysis.Success full = analysisOf(twice);
        ClassHistogram alone = histogramOf(twice);

        List<ClassHistogram.Row> fullRows = rowsNamed(full.histogram(), payload);
        List<ClassHistogram.Row> aloneRows = rowsNamed(alone, payload);
        for (List<ClassHistogram.Row> rows : List.of(fullRows, aloneRows)) {
            assertThat(rows)
                    .extracting(ClassHistogram.Row::instances)
                    .containsExactlyInAnyOrder((long) TwoLoaders.FIRST_COUNT, (long) TwoLoaders.SECOND_COUNT);
            assertThat(rows.get(0).classLoader())
                    .isPresent()
                    .isNotEqualTo(rows.get(1).classLoader());
        }
        for (ClassHistogram.Row row : fullRows) {
            String loader = row.classLoader().orElseThrow();
            assertThat(loader).matches("java\\.net\\.URLClassLoader 0x\\p{XDigit}+");
            assertThat(aloneRows)
                    .as("the histogram alone names the same loader, by its identifier")
                    .anySatisfy(r -> {
                        assertThat(r.instances()).isEqualTo(row.instances());
                        assertThat(loader).endsWith(" " + r.classLoader().orElseThrow());
                    });
        }
        assertThat(full.histogram().row("java.lang.String").orElseThrow().classLoader())
                .as("a name loaded once")
                .isEmpty();
        assertThat(full.histogram().describe(Integer.MAX_VALUE))
                .contains(
                        payload + " (loaded by " + fullRows.get(0).classLoader().orElseThrow() + ")");
        assertThat(full.histogram().toJson(Integer.MAX_VALUE))
                .contains("\"classLoader\":\"" + fullRows.get(1).classLoader().orElseThrow() + "\"");
    }

    private static List<ClassHistogram.Row> rowsNamed(ClassHistogram histogram, String className) {
        return histogram.classes().stream()
                .filter(r -> r.className().equals(className))
                .toList();
    }

    @Test
    void theFullAnalysisCountsEveryClassAsTheHistogramAloneDoes() {
        ClassHistogram alone = histogramOf(dump);
        HeapAnalysis.Success full = analysisOf(dump);

        for (ClassHistogram.Row row : alone.classes()) {
            ClassHistogram.Row same = full.histogram().row(row.className()).orElseThrow();
            if (row.className().equals("java.lang.Class")) {
                // The histogram alone counts the few class objects dumped as instances (int.class and the like);
                // the full analysis also counts every class as an instance of java.lang.Class, statics included.
                assertThat(same.instances()).isGreaterThan(row.instances() + 1000);
                continue;
            }
            assertThat(same.instances()).as(row.className()).isEqualTo(row.instances());
            assertThat(same.shallowBytes()).as(row.className()).isEqualTo(row.shallowBytes());
        }
        Retention retention = full.retention();
        assertThat(retention).isNotNull();
        assertThat(retention.reachableObjects() + retention.unreachableObjects())
                .isEqualTo(full.histogram().instances());
        assertThat(retention.topDominators()).hasSize(10);
        assertThat(retention.topDominators().get(0).retainedBytes())
                .isGreaterThanOrEqualTo(retention.topDominators().get(9).retainedBytes());
    }

    @Test
    void aGraphBuiltInCodeHasExactlyItsDominatorsAndRetainedSizes() throws Exception {
        // root -> a, b; a -> c; b -> c; c -> bytes; d -> a, and nothing holds d. Every node also points at its class.
        Path file = temp.resolve("graph.hprof");
        Files.write(
                file,
                new HprofWriter(8)
                        .loadClass(100, 1, "com/acme/Node")
                        .classDump(100, 0, 2, 2) // two references: 12 + 4 + 4, to 24 bytes
                        .objectWithReferences(1001, 100, 1002, 1003)
                        .objectWithReferences(1002, 100, 1004, 0)
                        .objectWithReferences(1003, 100, 1004, 0)
                        .objectWithReferences(1004, 100, 3001, 0)
                        .objectWithReferences(1005, 100, 1002, 0)
                        .byteArray(3001, 10, 10) // 16 + 10, to 32 bytes
                        .root(1001)
                        .root(100)
                        .bytes());

        HeapAnalysis.Success analysis = analysisOf(file);

        assertThat(analysis.histogram().classes())
                .containsExactly(
                        new ClassHistogram.Row("com.acme.Node", 5, 5 * 24, OptionalLong.of(4 * 24 + 32)),
                        new ClassHistogram.Row("byte[]", 1, 32, OptionalLong.of(32)),
                        new ClassHistogram.Row("java.lang.Class", 1, 16, OptionalLong.of(16)));
        Retention retention = analysis.retention();
        assertThat(retention).isNotNull();
        assertThat(retention.topDominators())
                .containsExactly(
                        new Retention.Dominator(1001, "com.acme.Node", 24, 4 * 24 + 32),
                        new Retention.Dominator(100, "class com.acme.Node", 16, 16));
        assertThat(retention.reachableObjects()).isEqualTo(6);
        assertThat(retention.reachableBytes()).isEqualTo(4 * 24 + 32 + 16);
        assertThat(retention.unreachableObjects()).isEqualTo(1);
        assertThat(retention.unreachableBytes()).isEqualTo(24);
    }

    @Test
    void aDumpBuiltInCodeWithFourByteIdentifiersHasExactlyItsObjects() throws Exception {
        Path file = temp.resolve("small-32.hprof");
        Files.write(
                file,
                new HprofWriter(4)
                        .loadClass(100, 1, "com/acme/Order")
                        .loadClass(200, 2, "[Lcom/acme/Order;")
                        .classDump(100, 0, 10, 2) // an int and a reference
                        .instance(1001, 100, 8)
                        .instance(1002, 100, 8)
                        .instance(1003, 100, 8)
                        .objectArray(2001, 200, 2)
                        .byteArray(3001, 10, 10)
                        .root(2001)
                        .bytes());

        ClassHistogram histogram = histogramOf(file);

        assertThat(histogram.layout()).isEqualTo(ObjectLayout.THIRTY_TWO_BIT);
        assertThat(histogram.classes())
                .containsExactly(
                        new ClassHistogram.Row("com.acme.Order", 3, 3 * 16), // 8 + 4 + 4
                        new ClassHistogram.Row("byte[]", 1, 24), // 8 + 4 + 10, to 24
                        new ClassHistogram.Row("com.acme.Order[]", 1, 24)); // 8 + 4 + 2 * 4, to 24
    }

    /** Why the analysis of a file failed, which the histogram alone and the full analysis must agree on. */
    private static String failureOf(Path file) {
        HeapAnalysis histogram = Dumps.histogram(file);
        HeapAnalysis full = Dumps.analyze(file, Dumps.TOP_10);
        assertThat(histogram).isInstanceOf(HeapAnalysis.Failure.class);
        assertThat(full).isInstanceOf(HeapAnalysis.Failure.class);
        assertThat(((HeapAnalysis.Failure) full).reason()).isEqualTo(((HeapAnalysis.Failure) histogram).reason());
        return ((HeapAnalysis.Failure) full).reason();
    }

    @Test
    void aTruncatedDumpIsAClearErrorNamingTheOffsetAndRecord() throws Exception {
        byte[] whole = Files.readAllBytes(dump);
        Path truncated = temp.resolve("truncated.hprof");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));

        assertThat(failureOf(truncated))
                .contains("truncated")
                .containsPattern("at offset \\d+, in HEAP DUMP( SEGMENT)?");
    }

    @Test
    void aLengthThatLiesIsRefusedBeforeAnythingIsAllocatedForIt() throws Exception {
        Path file = temp.resolve("lying.hprof");
        Files.write(file, new HprofWriter(8).byteArray(1, Integer.MAX_VALUE, 16).bytes());

        assertThat(failureOf(file)).contains("PRIMITIVE ARRAY DUMP").contains("needs 2147483647 bytes");
    }

    @Test
    void somethingElseIsNotTakenForADump() throws Exception {
        Path file = temp.resolve("notes.txt");
        Files.writeString(file, "not a heap dump at all");
        assertThat(failureOf(file)).contains("not an HPROF heap dump");
    }

    @Test
    void everyMutationOfADumpEndsInAResultOrAClearError() throws Exception {
        byte[] original = new HprofWriter(8)
                .loadClass(100, 1, "com/acme/Order")
                .classDump(100, 0, 10, 2, 11)
                .instance(1001, 100, 20)
                .objectArray(2001, 100, 3)
                .byteArray(3001, 64, 64)
                .root(1001)
                .bytes();
        Random random = new Random(7);
        Path file = temp.resolve("mutated.hprof");
        int failures = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] mutated = original.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            }
            Files.write(file, mutated);
            HeapAnalysis analysis =
                    Dumps.analyze(file, AnalysisOptions.defaults().withTop(5));
            if (analysis instanceof HeapAnalysis.Failure failure) {
                failures++;
                assertThat(failure.reason()).isNotBlank();
            }
        }
        assertThat(failures).as("mutations the reader caught").isGreaterThan(100);
    }

    @Test
    void theCommandLinePrintsTheTopClassesAsJsonAndRefusesWhatItCannotDo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = HprofMain.run(
                new String[] {"analyze", dump.toString(), "--json", "--top", "3"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("{\"histogram\":{\"instances\":")
                .contains("\"classes\":[{")
                .contains("\"retainedBytes\":")
                .contains("\"topDominators\":[{");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("this-jvm.hprof: reading classes, 100 %")
                .contains("this-jvm.hprof: computing dominators, 100 %")
                .contains("analyzed in");

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(HprofMain.run(new String[] {}, quiet, quiet)).isEqualTo(2);
        assertThat(HprofMain.run(new String[] {"analyze", dump.toString(), "--top", "none"}, quiet, quiet))
                .isEqualTo(2);
        assertThat(HprofMain.run(
                        new String[] {"analyze", temp.resolve("missing.hprof").toString()}, quiet, quiet))
                .isEqualTo(2);
    }
}
