package dev.memwarden.bench.scenario;

import java.io.File;
import java.io.IOException;
import java.util.Locale;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;

/**
 * The NetBeans profiler library (VisualVM's heap walker) on a {@link ServiceHeap} dump, as {@link HprofBench} runs it
 * beside memwarden-hprof: the retained size of every object (it computes them all to find the biggest), then the
 * nearest GC root of the planted registry.
 *
 * <pre>java -cp benchmarks.jar dev.memwarden.bench.scenario.NetBeansRetainedSizes DUMP</pre>
 */
public final class NetBeansRetainedSizes {
    private NetBeansRetainedSizes() {}

    public static void main(String[] args) throws IOException {
        Heap heap = HeapFactory.createHeap(new File(args[0]));
        for (Object biggest : heap.getBiggestObjectsByRetainedSize(3)) {
            Instance instance = (Instance) biggest;
            System.out.printf(
                    Locale.ROOT,
                    "biggest: %s retaining %d bytes%n",
                    instance.getJavaClass().getName(),
                    instance.getRetainedSize());
        }
        JavaClass service = heap.getJavaClassByName(ServiceHeap.class.getName());
        if (service == null || !(service.getValueOfStaticField("LISTENERS") instanceof Instance registry)) {
            throw new IllegalStateException("the dump holds no " + ServiceHeap.class.getName() + ".LISTENERS");
        }
        int steps = 0;
        for (Instance at = registry; at != null && !at.isGCRoot(); at = at.getNearestGCRootPointer()) {
            steps++;
        }
        System.out.printf(
                Locale.ROOT,
                "found: a path of %d references from a GC root, retaining %d bytes%n",
                steps,
                registry.getRetainedSize());
    }
}
