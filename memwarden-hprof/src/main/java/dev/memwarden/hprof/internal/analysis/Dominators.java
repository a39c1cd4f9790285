package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.internal.graph.IndexMemory;
import dev.memwarden.hprof.internal.graph.ReferenceGraph;
import java.nio.IntBuffer;
import java.util.List;

/**
 * The immediate dominator of every object reachable from the GC roots, by Lengauer and Tarjan's algorithm in its simple
 * form (path compression without balancing, O(m log n)), written without recursion: a heap holds chains millions of
 * objects long (a linked list), which would overflow any thread's stack. The GC roots hang under one virtual root, so
 * an object held by two roots is dominated by neither.
 *
 * <p>Work happens in preorder numbers of a depth-first search, where a dominator always has a smaller number than the
 * objects it dominates. Memory: six ints per object and one per reference (the predecessor lists) at most, from
 * the {@link IndexMemory}, all but the result released on return.
 */
final class Dominators {
    /** The immediate dominator of a GC root's own subtree: the virtual root. */
    static final int VIRTUAL_ROOT = -1;
    /** No GC root reaches the object. */
    static final int UNREACHABLE = -2;

    private Dominators() {}

    /**
     * The dominators under the virtual root, whose children are the graph's roots (duplicates allowed), by strong
     * references only: a weak reference's referent does not count.
     */
    static DominatorTree compute(ReferenceGraph graph, IndexMemory memory) {
        int n = graph.size();
        // Preorder numbers from 1; 0 is the virtual root.
        IntBuffer number = memory.ints(n);
        IntBuffer vertex = memory.ints(n + 1L);
        IntBuffer parent = memory.ints(n + 1L);
        int count = depthFirst(graph, number, vertex, parent);

        IntBuffer predStart = memory.ints(count + 2L);
        IntBuffer preds = predecessors(graph, number, vertex, count, predStart, memory);
        memory.release(number);

        // Six ints per object at most, where the textbook has nine: a vertex not yet processed has no semidominator
        // yet, so its slot in semi heads its bucket (the vertices whose semidominator it is; 0 for none, as the
        // virtual root is in no bucket); a vertex waiting in a bucket has no dominator yet, so its slot in idom links
        // it to the next in that bucket; and a vertex is linked into the forest (as its parent's child) the moment
        // it is processed, so the parent array is the forest's, and "linked" is "numbered above the vertex in hand".
        IntBuffer ancestor = parent;
        IntBuffer semi = memory.ints(count + 1L);
        IntBuffer label = memory.ints(count + 1L);
        IntBuffer idom = memory.ints(count + 1L);
        IntStack path = new IntStack();
        for (int k = count; k >= 1; k--) {
            int semiK = k;
            for (int i = predStart.get(k), end = predStart.get(k + 1); i < end; i++) {
                int v = preds.get(i);
                semiK = Math.min(semiK, v <= k ? v : semi.get(eval(v, k, ancestor, label, semi, path)));
            }
            idom.put(k, semi.get(semiK));
            semi.put(semiK, k);
            semi.put(k, semiK);
            label.put(k, k);
            int p = ancestor.get(k);
            for (int j = semi.get(p), next; j != 0; j = next) {
                next = idom.get(j);
                int u = eval(j, k - 1, ancestor, label, semi, path);
                idom.put(j, semi.get(u) < semi.get(j) ? u : p);
            }
            semi.put(p, 0);
        }
        for (IntBuffer done : List.of(preds, predStart, label, ancestor)) {
            memory.release(done);
        }
        for (int k = 1; k <= count; k++) {
            if (idom.get(k) != semi.get(k)) {
                idom.put(k, idom.get(idom.get(k)));
            }
        }
        memory.release(semi);

        IntBuffer dominator = memory.ints(n);
        for (int v = 0; v < n; v++) {
            dominator.put(v, UNREACHABLE);
        }
        for (int k = 1; k <= count; k++) {
            int d = idom.get(k);
            dominator.put(vertex.get(k), d == 0 ? VIRTUAL_ROOT : vertex.get(d));
        }
        memory.release(idom);
        return new DominatorTree(dominator, vertex, count);
    }

    /** Numbers the nodes reachable from the roots in preorder; returns how many there are. */
    private static int depthFirst(ReferenceGraph graph, IntBuffer number, IntBuffer vertex, IntBuffer parent) {
        IntStack nodes = new IntStack();
        IntStack cursors = new IntStack();
        int count = 0;
        for (int i = 0; i < graph.rootCount(); i++) {
            int root = graph.root(i);
            if (number.get(root) != 0) {
                continue;
            }
            number.put(root, ++count);
            vertex.put(count, root);
            parent.put(count, 0);
            nodes.push(root);
            cursors.push(graph.firstEdge(root));
            while (!nodes.isEmpty()) {
                int v = nodes.peek();
                int e = cursors.peek();
                if (e == graph.endEdge(v)) {
                    nodes.pop();
                    cursors.pop();
                    continue;
                }
                cursors.replaceTop(e + 1);
                int w = graph.target(e);
                if (number.get(w) == 0 && !graph.isWeak(e)) {
                    number.put(w, ++count);
                    vertex.put(count, w);
                    parent.put(count, number.get(v));
                    nodes.push(w);
                    cursors.push(graph.firstEdge(w));
                }
            }
        }
        return count;
    }

    /** Each reachable node's predecessors, as preorder numbers; a root has the virtual root, 0, among them. */
    private static IntBuffer predecessors(
            ReferenceGraph graph,
            IntBuffer number,
            IntBuffer vertex,
            int count,
            IntBuffer predStart,
            IndexMemory memory) {
        // Counted into the next node's slot, summed, and filled moving each start up to the next one's; then the
        // starts are moved back, as the graph's own edges are built.
        for (int i = 0; i < graph.rootCount(); i++) {
            increment(predStart, number.get(graph.root(i)) + 1);
        }
        long total = graph.rootCount();
        for (int k = 1; k <= count; k++) {
            int v = vertex.get(k);
            for (int e = graph.firstEdge(v), end = graph.endEdge(v); e < end; e++) {
                if (!graph.isWeak(e)) {
                    increment(predStart, number.get(graph.target(e)) + 1);
                    total++;
                }
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(total + " predecessors; the dominator computation holds up to 2^31");
        }
        for (int k = 1; k <= count + 1; k++) {
            predStart.put(k, predStart.get(k) + predStart.get(k - 1));
        }
        IntBuffer preds = memory.ints(total);
        for (int i = 0; i < graph.rootCount(); i++) {
            preds.put(fill(predStart, number.get(graph.root(i))), 0);
        }
        for (int k = 1; k <= count; k++) {
            int v = vertex.get(k);
            for (int e = graph.firstEdge(v), end = graph.endEdge(v); e < end; e++) {
                if (!graph.isWeak(e)) {
                    preds.put(fill(predStart, number.get(graph.target(e))), k);
                }
            }
        }
        for (int k = count + 1; k >= 1; k--) {
            predStart.put(k, predStart.get(k - 1));
        }
        predStart.put(0, 0);
        return preds;
    }

    private static void increment(IntBuffer counts, int i) {
        counts.put(i, counts.get(i) + 1);
    }

    /** The next free slot of node k's list, taken. */
    private static int fill(IntBuffer starts, int k) {
        int at = starts.get(k);
        starts.put(k, at + 1);
        return at;
    }

    /**
     * The node of least semidominator on the forest path from v up to (not including) its tree's root, compressing
     * the path as it goes: the recursion of the textbook, with the path kept on an explicit stack. The forest holds
     * the vertices numbered above {@code lastUnlinked}.
     */
    private static int eval(
            int v, int lastUnlinked, IntBuffer ancestor, IntBuffer label, IntBuffer semi, IntStack path) {
        if (v <= lastUnlinked) {
            return v;
        }
        int x = v;
        while (ancestor.get(x) > lastUnlinked) {
            path.push(x);
            x = ancestor.get(x);
        }
        while (!path.isEmpty()) {
            int y = path.pop();
            int a = ancestor.get(y);
            if (semi.get(label.get(a)) < semi.get(label.get(y))) {
                label.put(y, label.get(a));
            }
            ancestor.put(y, ancestor.get(a));
        }
        return label.get(v);
    }
}
