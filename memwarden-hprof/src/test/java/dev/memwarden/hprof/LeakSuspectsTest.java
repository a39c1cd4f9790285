package dev.memwarden.hprof;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.memwarden.hprof.cli.HprofMain;
import dev.memwarden.hprof.internal.format.DumpFile;
import dev.memwarden.hprof.internal.format.HprofReader;
import dev.memwarden.hprof.internal.format.HprofVisitor;
import dev.memwarden.hprof.internal.graph.DumpCensus;
import dev.memwarden.hprof.internal.graph.HeapGraphBuilder;
import dev.memwarden.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leak suspects and paths from GC roots, on a child JVM's dump with known leaks and on graphs built in code. */
class LeakSuspectsTest {
    /** A heap in which the index of {@link ManyObjects}'s dump does not fit, though the rest of the analysis does. */
    private static final int SMALL_HEAP_MEGABYTES = 32;

    @TempDir
    static Path temp;

    static Path dump;
    static HeapAnalysis.Success analysis;

    @BeforeAll
    static void dumpALeakyService() throws Exception {
        dump = temp.resolve("leaky.hprof");
        String output = Dumps.dumpedBy(LeakyService.class, dump.toString());
        assertThat(output).contains("registry still there: true");
        analysis = (HeapAnalysis.Success) Dumps.analyze(dump, Dumps.TOP_10);
    }

    @Test
    void aRegistryHeldByAStaticFieldIsNamedByItsFieldCollectionAndElementType() {
        LeakSuspect registry = analysis.suspects().get(0);

        assertThat(registry.holder()).isEqualTo("static " + LeakyService.class.getName() + ".REGISTRY");
        assertThat(registry.objectClass()).isEqualTo("java.util.ArrayList");
        assertThat(registry.retainedBytes()).isEqualTo(LeakyService.REGISTRY_BYTES);
        LeakSuspect.AccumulationPoint point = registry.accumulationPoint();
        assertThat(point).isNotNull();
        assertThat(point.objectClass()).isEqualTo("java.lang.Object[]");
        assertThat(point.elementClass()).isEqualTo(LeakyService.Listener.class.getName());
        assertThat(point.elements()).isEqualTo(LeakyService.LISTENERS);
        assertThat(registry.biggest()).hasSize(5).allSatisfy(d -> assertThat(d.retainedBytes())
                .isEqualTo(16 + 1016));
        assertThat(registry.summary())
                .startsWith("static " + LeakyService.class.getName() + ".REGISTRY: a java.util.ArrayList of 20,000 "
                        + LeakyService.Listener.class.getName() + ", retains 19.8 MiB");
    }

    @Test
    void theRegistrysPathEndsInItsStaticFieldAndNeverTakesTheWeakReference() {
        GcRootPath path = analysis.suspects().get(0).pathFromGcRoot();

        assertThat(path).isNotNull();
        List<GcRootPath.Step> steps = path.steps();
        assertThat(steps.get(0).via()).isNull();
        assertThat(steps.get(steps.size() - 1))
                .extracting(GcRootPath.Step::via, GcRootPath.Step::object)
                .containsExactly("static REGISTRY", "java.util.ArrayList");
        assertThat(steps.get(steps.size() - 2).object()).isEqualTo("class " + LeakyService.class.getName());
        assertThat(steps).extracting(GcRootPath.Step::via).doesNotContain(".referent", "?");
    }

    @Test
    void instancesThatNoOneObjectHoldsAreASuspectTogether() {
        LeakSuspect sessions = analysis.suspects().get(1);

        assertThat(sessions.holder()).isEqualTo("6,000 instances of " + LeakyService.Session.class.getName());
        assertThat(sessions.instances()).isEqualTo(LeakyService.SESSIONS);
        assertThat(sessions.retainedBytes()).isEqualTo(LeakyService.SESSION_BYTES);
        assertThat(sessions.accumulationPoint()).isNull();
        assertThat(sessions.biggest()).hasSize(5);
        GcRootPath path = sessions.pathFromGcRoot();
        assertThat(path).isNotNull();
        assertThat(path.steps().get(path.steps().size() - 2).via()).startsWith("static SESSIONS_BY_");
        assertThat(path.steps().get(path.steps().size() - 1).via()).matches("\\[\\d+]");
        assertThat(analysis.suspects()).hasSize(2);
    }

    @Test
    void theReportNamesTheSuspectsInTextAndJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = HprofMain.run(
                new String[] {"analyze", dump.toString(), "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"suspects\":[{\"holder\":\"static " + LeakyService.class.getName() + ".REGISTRY\"")
                .contains("\"retainedBytes\":" + LeakyService.REGISTRY_BYTES)
                .contains("\"elementClass\":\"" + LeakyService.Listener.class.getName() + "\",\"elements\":20000")
                .contains("\"via\":\"static REGISTRY\",");
        assertThat(analysis.describe(10))
                .contains("Suspect 1: static " + LeakyService.class.getName() + ".REGISTRY: a java.util.ArrayList")
                .contains("Suspect 2: 6,000 instances of " + LeakyService.Session.class.getName())
                .contains("  path from its GC root:");
    }

    @Test
    void spilledToFilesTheAnalysisIsTheSame(@TempDir Path spill) throws Exception {
        HeapAnalysis.Success spilled =
                (HeapAnalysis.Success) Dumps.analyze(dump, Dumps.TOP_10.withSpillDirectory(spill));

        assertThat(spilled.histogram()).isEqualTo(analysis.histogram());
        assertThat(spilled.retention()).isEqualTo(analysis.retention());
        assertThat(spilled.suspects()).isEqualTo(analysis.suspects());
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).isEmpty(); // each file deleted as soon as it was mapped
        }
    }

    @Test
    void aHeapTooSmallForTheIndexSpillsItToTheTemporaryDirectory(@TempDir Path spill) throws Exception {
        Path many = temp.resolve("many.hprof");
        Dumps.dumpedBy(ManyObjects.class, many.toString());
        String output = ChildJvm.of(HprofMain.class)
                .options("-Xmx" + SMALL_HEAP_MEGABYTES + "m", "-Djava.io.tmpdir=" + spill, "-XX:+UseSerialGC")
                .args("analyze", many.toString(), "--top", "3")
                .run()
                .expectExit(0)
                .output();

        assertThat(output).contains("spilling the index to " + spill);
        assertThat(output).contains("Suspect 1: static " + ManyObjects.class.getName() + ".HELD");
        assertThat(ManyObjects.COUNT * HeapGraphBuilder.INDEX_BYTES_PER_OBJECT)
                .as("an index too large for the heap")
                .isGreaterThan((long) ((SMALL_HEAP_MEGABYTES << 20) * HeapGraphBuilder.HEAP_SHARE));
    }

    @Test
    void aPathFollowsFieldsByNameAndNeverAWeakReferent() throws Exception {
        // root 1 -> weak reference 2001 -.referent-> 3001; root 2 -> 1001 -.next-> 1002 -.next-> 3001 -.next-> bytes.
        Path file = temp.resolve("weak.hprof");
        Files.write(
                file,
                new HprofWriter(8)
                        .string(50, "referent")
                        .string(51, "next")
                        .loadClass(100, 1, "java/lang/ref/Reference")
                        .loadClass(101, 2, "java/lang/ref/WeakReference")
                        .loadClass(102, 3, "com/acme/Node")
                        .referenceClass(100, 0, 50)
                        .referenceClass(101, 100)
                        .referenceClass(102, 0, 51)
                        .objectWithReferences(2001, 101, 3001)
                        .objectWithReferences(1001, 102, 1002)
                        .objectWithReferences(1002, 102, 3001)
                        .objectWithReferences(3001, 102, 4001)
                        .byteArray(4001, 4000, 4000)
                        .root(2001)
                        .root(1001)
                        .bytes());

        HeapAnalysis.Success result = (HeapAnalysis.Success) Dumps.analyze(file, Dumps.TOP_10);
        RootPathSearch.Success search = (RootPathSearch.Success) Dumps.paths(file, List.of(3001L, 2001L));

        // The weak reference changes nothing: the chain's head holds it all, and its tail is reached only along it.
        assertThat(result.suspects()).hasSize(1);
        LeakSuspect chain = result.suspects().get(0);
        assertThat(chain.objectId()).isEqualTo(1001);
        assertThat(chain.holder()).isEqualTo("GC root: an unknown root");
        // The three nodes, the bytes, and class Node, which no root holds but through its instances.
        assertThat(chain.retainedBytes()).isEqualTo(3 * 16 + 4016 + 16);
        assertThat(chain.accumulationPoint()).isNotNull();
        assertThat(chain.accumulationPoint().elements()).isEqualTo(3);
        GcRootPath path = search.paths().get(0).path();
        assertThat(path).isNotNull();
        assertThat(path.steps())
                .containsExactly(
                        new GcRootPath.Step(null, 1001, "com.acme.Node"),
                        new GcRootPath.Step(".next", 1002, "com.acme.Node"),
                        new GcRootPath.Step(".next", 3001, "com.acme.Node"));
        assertThat(search.paths().get(1).path().steps())
                .containsExactly(new GcRootPath.Step(null, 2001, "java.lang.ref.WeakReference"));
    }

    @Test
    void thePathCommandPrintsPathsAndRefusesAnObjectTheDumpDoesNotHold() {
        long registryId = analysis.suspects().get(0).objectId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int found = HprofMain.run(
                new String[] {"path", dump.toString(), String.format("0x%x", registryId)},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int missing = HprofMain.run(
                new String[] {"path", dump.toString(), "0x7"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(found).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith(String.format("java.util.ArrayList 0x%x%n  GC root: ", registryId))
                .contains("static REGISTRY  java.util.ArrayList");
        assertThat(missing).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the dump holds no object 0x7");
    }

    /** Held by nothing but a local variable of the test below while this JVM is dumped. */
    private static final class FrameMarker {}

    @Test
    void aLocalVariableIsTracedToItsThreadAndFrame() throws Exception {
        FrameMarker marker = new FrameMarker();
        Path frameDump = temp.resolve("frame.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(frameDump.toString(), true);
        Reference.reachabilityFence(marker);
        long markerId = onlyInstanceOf(frameDump, FrameMarker.class.getName());

        RootPathSearch search = Dumps.paths(frameDump, List.of(markerId));

        assertThat(search).isInstanceOf(RootPathSearch.Success.class);
        GcRootPath path = ((RootPathSearch.Success) search).paths().get(0).path();
        assertThat(path).isNotNull();
        assertThat(path.rootKind()).isEqualTo("JAVA_FRAME");
        assertThat(path.steps()).hasSize(1);
        RootFrame frame = path.frame();
        assertThat(frame).as(path.describe("")).isNotNull();
        assertThat(frame.method())
                .isEqualTo(LeakSuspectsTest.class.getName() + ".aLocalVariableIsTracedToItsThreadAndFrame");
        assertThat(frame.sourceFile()).isEqualTo("LeakSuspectsTest.java");
        assertThat(frame.line()).isPositive();
        assertThat(frame.threadObjectId()).isNotZero();
        assertThat(path.describe("")).contains("in thread 0x").contains("(LeakSuspectsTest.java:" + frame.line() + ")");
        assertThat(path.toJson()).contains("\"rootFrame\":{\"thread\":\"0x");
    }

    private static long onlyInstanceOf(Path dump, String className) throws Exception {
        try (DumpFile file = DumpFile.open(dump)) {
            DumpCensus census = new DumpCensus(file);
            HprofReader.read(file, census, offset -> {});
            long classId = census.classes().stream()
                    .filter(c -> census.names().className(c.classId()).equals(className))
                    .findFirst()
                    .orElseThrow()
                    .classId();
            List<Long> instances = new ArrayList<>();
            HprofReader.read(
                    file,
                    new HprofVisitor() {
                        @Override
                        public void instance(long id, long instanceClassId, long dataOffset, long length) {
                            if (instanceClassId == classId) {
                                instances.add(id);
                            }
                        }
                    },
                    offset -> {});
            assertThat(instances).hasSize(1);
            return instances.get(0);
        }
    }
}
