package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.CorruptDumpException;
import dev.memwarden.hprof.GcRootPath;
import dev.memwarden.hprof.LeakSuspect;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.Retention;
import dev.memwarden.hprof.internal.SecondThread;
import dev.memwarden.hprof.internal.graph.HeapGraph;
import dev.memwarden.hprof.internal.graph.HeapGraph.Reference;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Finds the leak suspects of one dump, as Eclipse MAT does, with one difference: a class is never a suspect itself.
 *
 * <p>Down the dominator tree from the GC roots, a suspect is an object that retains at least {@link #MIN_SHARE} of the
 * reachable heap, or a class whose instances, each held on its own, do so together. Class objects are looked through:
 * each object a static field holds is a holder of its own, named by its field, where MAT would report the class with
 * all its statics lumped together. So are the objects that retain mostly classes (a class loader, the list of its
 * classes), which would otherwise stand in front of every static field of an application.
 *
 * <p>Inside a suspect, the accumulation point is where the growth sits: from the suspect down to its largest dominated
 * object while that keeps at least {@link #ACCUMULATION_RATIO} of what its parent retains, stopping at the head of a
 * chain of one class (a linked list).
 */
final class LeakSuspects {
    static final double MIN_SHARE = 0.10;
    static final double ACCUMULATION_RATIO = 0.8;
    private static final int BIGGEST = 5;
    private static final int MAX_SUSPECTS = 10;

    private final HeapGraph graph;
    private final DominatorTree tree;
    private final TreeChildren children;
    private final LongBuffer retained;
    private final long reachableBytes;

    private LeakSuspects(
            HeapGraph graph, DominatorTree tree, TreeChildren children, LongBuffer retained, long reachableBytes) {
        this.graph = graph;
        this.tree = tree;
        this.children = children;
        this.retained = retained;
        this.reachableBytes = reachableBytes;
    }

    static List<LeakSuspect> find(
            HeapGraph graph,
            DominatorTree tree,
            TreeChildren children,
            LongBuffer retained,
            long reachableBytes,
            SecondThread<GcRootPaths> search,
            Progress progress)
            throws CorruptDumpException {
        return new LeakSuspects(graph, tree, children, retained, reachableBytes).find(search, progress);
    }

    /** A suspect before its paths and labels are read: a single object, or a class's top-level instances. */
    private record Candidate(int node, long instances, long retainedBytes, List<Integer> biggest) {}

    private List<LeakSuspect> find(SecondThread<GcRootPaths> search, Progress progress) throws CorruptDumpException {
        long threshold = (long) Math.ceil(MIN_SHARE * reachableBytes);
        List<Candidate> candidates = candidates(Math.max(1, threshold));
        if (candidates.isEmpty()) {
            return List.of();
        }
        progress.report("finding paths from GC roots", 0);
        GcRootPaths roots = search.get();
        List<int[]> paths = new ArrayList<>();
        List<Reference> wanted = new ArrayList<>();
        for (Candidate c : candidates) {
            int[] path = roots.pathTo(c.node());
            paths.add(path);
            wanted.addAll(roots.references(path));
            int d = tree.dominator(c.node());
            if (d >= 0) {
                wanted.add(roots.reference(d, c.node()));
            }
        }
        progress.report("finding paths from GC roots", 100);
        Map<Reference, String> labels = graph.labels(wanted, progress);

        List<LeakSuspect> suspects = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            suspects.add(suspect(candidates.get(i), paths.get(i), labels, roots));
        }
        return suspects;
    }

    private List<Candidate> candidates(long threshold) {
        int n = graph.size();
        int types = graph.typeCount();
        int classType = graph.classObjectType();
        // What each object retains through the class objects it dominates: a class loader's is nearly all of it.
        LongBuffer underClasses = graph.memory().longs(n);
        for (int i = tree.reachable() - 1; i >= 0; i--) {
            int v = tree.preorder(i);
            int d = tree.dominator(v);
            if (d >= 0) {
                long through = graph.typeOf(v) == classType ? retained.get(v) : underClasses.get(v);
                underClasses.put(d, underClasses.get(d) + through);
            }
        }

        List<Candidate> found = new ArrayList<>();
        long[] groupBytes = new long[types];
        long[] groupCount = new long[types];
        IntStack holders = new IntStack();
        IntStack open = new IntStack();
        open.push(children.root());
        while (!open.isEmpty()) {
            int v = open.pop();
            for (int i = children.start(v); i < children.end(v); i++) {
                int c = children.child(i);
                boolean big = retained.get(c) >= threshold;
                if (graph.typeOf(c) == classType || (big && 2 * underClasses.get(c) >= retained.get(c))) {
                    open.push(c);
                } else if (big) {
                    found.add(new Candidate(c, 1, retained.get(c), List.of()));
                } else {
                    holders.push(c);
                    groupBytes[graph.typeOf(c)] += retained.get(c);
                    groupCount[graph.typeOf(c)]++;
                }
            }
        }
        for (int t = 0; t < types; t++) {
            if (groupCount[t] > 1 && groupBytes[t] >= threshold) {
                List<Integer> biggest = biggestOfType(holders, t);
                found.add(new Candidate(biggest.get(0), groupCount[t], groupBytes[t], biggest));
            }
        }
        graph.memory().release(underClasses);
        found.sort(Comparator.comparingLong(Candidate::retainedBytes).reversed());
        return found.subList(0, Math.min(MAX_SUSPECTS, found.size()));
    }

    private List<Integer> biggestOfType(IntStack holders, int type) {
        PriorityQueue<Integer> best = new PriorityQueue<>(Comparator.comparingLong((Integer v) -> retained.get(v)));
        IntStack rest = new IntStack();
        while (!holders.isEmpty()) {
            int v = holders.pop();
            rest.push(v);
            if (graph.typeOf(v) == type) {
                best.add(v);
                if (best.size() > BIGGEST) {
                    best.poll();
                }
            }
        }
        while (!rest.isEmpty()) {
            holders.push(rest.pop());
        }
        return largestFirst(best);
    }

    private LeakSuspect suspect(Candidate c, int[] path, Map<Reference, String> labels, GcRootPaths roots) {
        int node = c.node();
        double share = reachableBytes == 0 ? 0 : (double) c.retainedBytes() / reachableBytes;
        String objectClass = graph.typeName(graph.typeOf(node));
        GcRootPath gcRootPath = roots.describe(path, labels);
        if (c.instances() > 1) {
            return new LeakSuspect(
                    String.format(Locale.ROOT, "%,d instances of %s", c.instances(), objectClass),
                    objectClass,
                    graph.id(node),
                    c.instances(),
                    c.retainedBytes(),
                    share,
                    null,
                    dominators(c.biggest()),
                    gcRootPath);
        }
        int point = accumulationPoint(node);
        return new LeakSuspect(
                holder(node, labels, roots),
                objectClass,
                graph.id(node),
                1,
                c.retainedBytes(),
                share,
                elements(point),
                dominators(biggestChildren(point)),
                gcRootPath);
    }

    private String holder(int node, Map<Reference, String> labels, GcRootPaths roots) {
        int d = tree.dominator(node);
        if (d < 0) {
            return roots.isRoot(node) ? "GC root: " + roots.rootKind(node).description : "several GC roots";
        }
        String label = labels.get(roots.reference(d, node));
        String staticPrefix = "static ";
        if (label != null && label.startsWith(staticPrefix) && graph.typeOf(d) == graph.classObjectType()) {
            return staticPrefix + graph.describe(d).substring("class ".length()) + "."
                    + label.substring(staticPrefix.length());
        }
        String dominator = String.format(Locale.ROOT, "%s 0x%x", graph.describe(d), graph.id(d));
        return label != null ? dominator + " " + label : "held through " + dominator;
    }

    private int accumulationPoint(int node) {
        int a = node;
        while (true) {
            int c = biggestChild(a);
            if (c < 0 || retained.get(c) < ACCUMULATION_RATIO * retained.get(a) || graph.typeOf(c) == graph.typeOf(a)) {
                return a;
            }
            a = c;
        }
    }

    private int biggestChild(int v) {
        int best = -1;
        for (int i = children.start(v); i < children.end(v); i++) {
            int c = children.child(i);
            if (best < 0 || retained.get(c) > retained.get(best)) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The accumulation point with what it holds: the class retaining most among the objects it dominates directly (for
     * a chain, the chain's own class), how many of them it dominates at any depth, and for map entries and list nodes
     * the class retaining most among what they hold.
     */
    private LeakSuspect.AccumulationPoint elements(int point) {
        String pointClass = graph.typeName(graph.typeOf(point));
        long id = graph.id(point);
        int first = biggestChild(point);
        if (first < 0) {
            return new LeakSuspect.AccumulationPoint(id, pointClass, retained.get(point), null, 0, null);
        }
        int elementType = graph.typeOf(first) == graph.typeOf(point) ? graph.typeOf(point) : topType(point, -1);
        long elements = graph.typeOf(point) == elementType ? 1 : 0;
        Map<Integer, Long> held = new HashMap<>();
        IntStack open = new IntStack();
        open.push(point);
        while (!open.isEmpty()) {
            int v = open.pop();
            for (int i = children.start(v); i < children.end(v); i++) {
                int c = children.child(i);
                if (graph.typeOf(c) == elementType) {
                    elements++;
                } else if (graph.typeOf(v) == elementType) {
                    held.merge(graph.typeOf(c), retained.get(c), Long::sum);
                }
                open.push(c);
            }
        }
        String elementClass = graph.typeName(elementType);
        String heldClass = isEntry(elementClass)
                ? held.entrySet().stream()
                        .max(Map.Entry.comparingByValue())
                        .map(e -> graph.typeName(e.getKey()))
                        .orElse(null)
                : null;
        return new LeakSuspect.AccumulationPoint(
                id, pointClass, retained.get(point), elementClass, elements, heldClass);
    }

    /** A map's entry or a linked list's node, which say less than what they hold. */
    private static boolean isEntry(String className) {
        return className.endsWith("$Node") || className.endsWith("$Entry") || className.endsWith("$TreeNode");
    }

    /** The type whose objects among a node's children retain the most together, other than {@code except}. */
    private int topType(int v, int except) {
        Map<Integer, Long> byType = new HashMap<>();
        for (int i = children.start(v); i < children.end(v); i++) {
            int c = children.child(i);
            if (graph.typeOf(c) != except) {
                byType.merge(graph.typeOf(c), retained.get(c), Long::sum);
            }
        }
        return byType.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(graph.typeOf(v));
    }

    private List<Integer> biggestChildren(int v) {
        PriorityQueue<Integer> best = new PriorityQueue<>(Comparator.comparingLong((Integer c) -> retained.get(c)));
        for (int i = children.start(v); i < children.end(v); i++) {
            best.add(children.child(i));
            if (best.size() > BIGGEST) {
                best.poll();
            }
        }
        return largestFirst(best);
    }

    private static List<Integer> largestFirst(PriorityQueue<Integer> smallestFirst) {
        List<Integer> out = new ArrayList<>();
        while (!smallestFirst.isEmpty()) {
            out.add(0, smallestFirst.poll());
        }
        return out;
    }

    private List<Retention.Dominator> dominators(List<Integer> nodes) {
        List<Retention.Dominator> out = new ArrayList<>();
        for (int v : nodes) {
            out.add(new Retention.Dominator(graph.id(v), graph.describe(v), graph.shallowBytes(v), retained.get(v)));
        }
        return out;
    }
}
