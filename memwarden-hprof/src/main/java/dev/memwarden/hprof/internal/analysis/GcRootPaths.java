package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.GcRootPath;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.RootFrame;
import dev.memwarden.hprof.RootPathSearch;
import dev.memwarden.hprof.internal.format.RootKind;
import dev.memwarden.hprof.internal.graph.HeapGraph;
import dev.memwarden.hprof.internal.graph.HeapGraph.Reference;
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
public final class GcRootPaths {
    private static final int UNSEEN = -1;
    private static final int ROOT = -2;

    private final HeapGraph graph;
    /**
     * For each rooted node, its first entry among the graph's roots: the kind the dump lists first, and for a root in
     * a thread's stack, its thread and frame.
     */
    private final Map<Integer, Integer> firstRoot = new HashMap<>();

    private final IntBuffer direct;
    private @Nullable IntBuffer throughClasses;

    GcRootPaths(HeapGraph graph) {
        this.graph = graph;
        for (int i = 0; i < graph.rootCount(); i++) {
            firstRoot.putIfAbsent(graph.root(i), i);
        }
        this.direct = search(false);
    }

    /** The shortest path from a GC root to each node, its references named. */
    public static List<RootPathSearch.ObjectPath> pathsTo(
            HeapGraph graph, List<Long> objectIds, int[] nodes, Progress progress) throws CorruptDumpException {
        progress.report("finding paths from GC roots", 0);
        GcRootPaths roots = new GcRootPaths(graph);
        List<int[]> paths = new ArrayList<>();
        List<Reference> wanted = new ArrayList<>();
        for (int node : nodes) {
            int[] path = roots.pathTo(node);
            paths.add(path);
            wanted.addAll(roots.references(path));
        }
        progress.report("finding paths from GC roots", 100);
        Map<Reference, String> labels = graph.labels(wanted, progress);
        List<RootPathSearch.ObjectPath> found = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            found.add(new RootPathSearch.ObjectPath(
                    objectIds.get(i), graph.describe(nodes[i]), roots.describe(paths.get(i), labels)));
        }
        return found;
    }

    private IntBuffer search(boolean withClassLinks) {
        int n = graph.size();
        IntBuffer parent = graph.memory().ints(n);
        for (int v = 0; v < n; v++) {
            parent.put(v, UNSEEN);
        }
        IntBuffer queue = graph.memory().ints(n);
        int tail = 0;
        for (int i = 0; i < graph.rootCount(); i++) {
            int root = graph.root(i);
            if (parent.get(root) == UNSEEN) {
                parent.put(root, ROOT);
                queue.put(tail++, root);
            }
        }
        for (int head = 0; head < tail; head++) {
            int v = queue.get(head);
            for (int e = graph.firstEdge(v), end = graph.endEdge(v); e < end; e++) {
                int w = graph.target(e);
                if (parent.get(w) != UNSEEN || graph.isWeak(e) || (!withClassLinks && graph.isClassLink(v, e))) {
                    continue;
                }
                parent.put(w, v);
                queue.put(tail++, w);
            }
        }
        graph.memory().release(queue);
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

    /** The references along a path, which {@link HeapGraph#labels} names. */
    List<Reference> references(int[] path) {
        List<Reference> references = new ArrayList<>();
        for (int k = 1; k < path.length; k++) {
            references.add(reference(path[k - 1], path[k]));
        }
        return references;
    }

    Reference reference(int from, int to) {
        return new Reference(graph.id(from), graph.id(to));
    }

    /** A path as a person reads it, its references named; null for an empty path. */
    @Nullable
    GcRootPath describe(int[] path, Map<Reference, String> labels) {
        if (path.length == 0) {
            return null;
        }
        RootKind kind = rootKind(path[0]);
        List<GcRootPath.Step> steps = new ArrayList<>();
        for (int k = 0; k < path.length; k++) {
            String via = k == 0 ? null : labels.getOrDefault(reference(path[k - 1], path[k]), "?");
            steps.add(new GcRootPath.Step(via, graph.id(path[k]), graph.describe(path[k])));
        }
        Integer root = firstRoot.get(path[0]);
        RootFrame frame = root == null ? null : graph.rootFrame(root);
        return new GcRootPath(kind.name(), kind.description, frame, steps);
    }

    boolean isRoot(int node) {
        return firstRoot.containsKey(node);
    }

    /** Why the JVM keeps a root alive; the first kind the dump lists where it lists the object as several roots. */
    RootKind rootKind(int root) {
        Integer first = firstRoot.get(root);
        return first == null ? RootKind.UNKNOWN : graph.rootKind(first);
    }
}
