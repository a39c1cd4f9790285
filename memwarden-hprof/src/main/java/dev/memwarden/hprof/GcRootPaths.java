package dev.memwarden.hprof;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shortest path from a GC root to any object, by breadth-first search from all roots at once. It never follows
 * the referent of a weak, soft, phantom or final reference, which does not keep an object alive. It first leaves out
 * each object's reference to its own class too: every instance of an application class leads to its class, its class
 * loader and every other class that loader holds, so a path through an instance's class is short but tells a person
 * nothing, while the path they need goes through the static field that holds the object. Only an object that search
 * does not reach is looked for again with those references.
 *
 * <p>Memory: two ints per object while searching, one kept per search.
 */
final class GcRootPaths {
    private static final int UNSEEN = -1;
    private static final int ROOT = -2;

    private final HeapGraph graph;
    /**
     * For each root, its first entry among the census's roots: the kind the dump lists first, and for a root in a
     * thread's stack, its thread and frame.
     */
    private final Map<Integer, Integer> censusRoots = new HashMap<>();

    private final IntBuffer direct;
    private @Nullable IntBuffer throughClasses;

    GcRootPaths(HeapGraph graph) {
        this.graph = graph;
        for (int i = 0; i < graph.roots.length; i++) {
            censusRoots.putIfAbsent(graph.roots[i], graph.censusRoots[i]);
        }
        this.direct = search(false);
    }

    private IntBuffer search(boolean withClassLinks) {
        int n = graph.size();
        IntBuffer parent = graph.memory.ints(n);
        for (int v = 0; v < n; v++) {
            parent.put(v, UNSEEN);
        }
        IntBuffer queue = graph.memory.ints(n);
        int tail = 0;
        for (int root : graph.roots) {
            if (parent.get(root) == UNSEEN) {
                parent.put(root, ROOT);
                queue.put(tail++, root);
            }
        }
        for (int head = 0; head < tail; head++) {
            int v = queue.get(head);
            for (int e = graph.edgeStart.get(v), end = graph.edgeStart.get(v + 1); e < end; e++) {
                int w = graph.edges.get(e);
                if (parent.get(w) != UNSEEN || graph.weakEdges.get(e) || (!withClassLinks && graph.isClassLink(v, e))) {
                    continue;
                }
                parent.put(w, v);
                queue.put(tail++, w);
            }
        }
        graph.memory.release(queue);
        return parent;
    }

    /** The nodes from a GC root down to the node; empty if no strong reference reaches it. */
    int[] pathTo(int node) {
        int[] path = pathIn(direct, node);
        if (path.length > 0) {
            return path;
        }
        IntBuffer second = throughClasses;
        if (second == null) {
            second = search(true);
            throughClasses = second;
        }
        return pathIn(second, node);
    }

    private static int[] pathIn(IntBuffer parent, int node) {
        if (parent.get(node) == UNSEEN) {
            return new int[0];
        }
        int length = 1;
        for (int v = node; parent.get(v) != ROOT; v = parent.get(v)) {
            length++;
        }
        int[] path = new int[length];
        int v = node;
        for (int i = length - 1; i >= 0; i--) {
            path[i] = v;
            v = parent.get(v) == ROOT ? v : parent.get(v);
        }
        return path;
    }

    /** The references along a path, which {@link ReferenceLabels} names. */
    List<ReferenceLabels.Reference> references(int[] path) {
        List<ReferenceLabels.Reference> references = new ArrayList<>();
        for (int k = 1; k < path.length; k++) {
            references.add(reference(path[k - 1], path[k]));
        }
        return references;
    }

    ReferenceLabels.Reference reference(int from, int to) {
        return new ReferenceLabels.Reference(graph.ids.id(from), graph.ids.id(to));
    }

    /** A path as a person reads it, its references named; null for an empty path. */
    @Nullable
    GcRootPath describe(int[] path, Map<ReferenceLabels.Reference, String> labels) {
        if (path.length == 0) {
            return null;
        }
        RootKind kind = rootKind(path[0]);
        List<GcRootPath.Step> steps = new ArrayList<>();
        for (int k = 0; k < path.length; k++) {
            String via = k == 0 ? null : labels.getOrDefault(reference(path[k - 1], path[k]), "?");
            steps.add(new GcRootPath.Step(via, graph.ids.id(path[k]), graph.describe(path[k])));
        }
        Integer censusRoot = censusRoots.get(path[0]);
        RootFrame frame =
                censusRoot == null ? null : graph.census.rootFrame(censusRoot).orElse(null);
        return new GcRootPath(kind.name(), kind.description, frame, steps);
    }

    boolean isRoot(int node) {
        return censusRoots.containsKey(node);
    }

    /** Why the JVM keeps a root alive; the first kind the dump lists where it lists the object as several roots. */
    RootKind rootKind(int root) {
        Integer censusRoot = censusRoots.get(root);
        return censusRoot == null ? RootKind.UNKNOWN : graph.census.rootKind(censusRoot);
    }
}
