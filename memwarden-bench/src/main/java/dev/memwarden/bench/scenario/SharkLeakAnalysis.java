package dev.memwarden.bench.scenario;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import shark.ApplicationLeak;
import shark.CloseableHeapGraph;
import shark.HeapAnalysis;
import shark.HeapAnalysisSuccess;
import shark.HeapAnalyzer;
import shark.HeapField;
import shark.HeapGraph;
import shark.HeapObject;
import shark.HprofHeapGraph;
import shark.HprofIndex;
import shark.LeakTrace;
import shark.MetadataExtractor;

/**
 * Shark's leak analysis of a {@link ServiceHeap} dump, as {@link HprofBench} runs it beside memwarden-hprof: the path
 * from a GC root to the planted registry, and the bytes it retains. Shark is told which object leaks (LeakCanary tells
 * it through its watched references), so this is the least it can be asked.
 *
 * <pre>java -cp benchmarks.jar dev.memwarden.bench.scenario.SharkLeakAnalysis DUMP</pre>
 */
public final class SharkLeakAnalysis {
    private SharkLeakAnalysis() {}

    public static void main(String[] args) throws IOException {
        File dump = new File(args[0]);
        HeapAnalyzer analyzer = new HeapAnalyzer(
                step -> System.out.println("shark: " + step.name().toLowerCase(Locale.ROOT)));
        HeapAnalysis analysis;
        try (CloseableHeapGraph graph =
                HprofHeapGraph.Companion.openHeapGraph(dump, null, HprofIndex.Companion.defaultIndexedGcRootTags())) {
            analysis = analyzer.analyze(
                    dump,
                    graph,
                    SharkLeakAnalysis::plantedRegistry,
                    List.of(),
                    true,
                    List.of(),
                    MetadataExtractor.Companion.getNO_OP());
        }
        if (!(analysis instanceof HeapAnalysisSuccess success)) {
            System.out.println("shark failed: " + analysis);
            System.exit(1);
            return;
        }
        for (ApplicationLeak leak : success.getApplicationLeaks()) {
            for (LeakTrace trace : leak.getLeakTraces()) {
                System.out.printf(
                        Locale.ROOT,
                        "found: a path of %d references from a GC root, retaining %s bytes%n",
                        trace.getReferencePath().size(),
                        trace.getRetainedHeapByteSize());
            }
        }
    }

    private static Set<Long> plantedRegistry(HeapGraph graph) {
        HeapObject.HeapClass service = graph.findClassByName(ServiceHeap.class.getName());
        HeapField listeners = service == null ? null : service.get("LISTENERS");
        Long id = listeners == null ? null : listeners.getValue().getAsObjectId();
        if (id == null) {
            throw new IllegalStateException("the dump holds no " + ServiceHeap.class.getName() + ".LISTENERS");
        }
        return Set.of(id);
    }
}
