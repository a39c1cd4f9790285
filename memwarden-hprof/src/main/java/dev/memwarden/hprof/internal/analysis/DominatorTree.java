package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.internal.graph.HeapGraph;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Who dominates whom among the reachable objects of a {@link HeapGraph}, and the retained sizes that follow: an
 * object's retained size is what the heap would lose if it were gone, itself and everything it dominates.
 */
final class DominatorTree {
    private final IntBuffer dominator;
    /** The reachable nodes in preorder, from index 1. */
    private final IntBuffer vertex;

    private final int reachable;

    DominatorTree(IntBuffer dominator, IntBuffer vertex, int reachable) {
        this.dominator = dominator;
        this.vertex = vertex;
        this.reachable = reachable;
    }

    /** The immediate dominator of a node, {@link Dominators#VIRTUAL_ROOT} or {@link Dominators#UNREACHABLE}. */
    int dominator(int node) {
        return dominator.get(node);
    }

    int reachable() {
        return reachable;
    }

    /** The i-th reachable node in the depth-first search's preorder, where a node comes before all it dominates. */
    int preorder(int i) {
        return vertex.get(i + 1);
    }

    /** The retained size of every node; 0 for unreachable ones. */
    LongBuffer retainedSizes(HeapGraph graph) {
        LongBuffer retained = graph.memory().longs(graph.size());
        // Backwards through the preorder, an object comes after everything it dominates.
        for (int k = reachable; k >= 1; k--) {
            int v = vertex.get(k);
            long own = retained.get(v) + graph.shallowBytes(v);
            retained.put(v, own);
            int d = dominator.get(v);
            if (d >= 0) {
                retained.put(d, retained.get(d) + own);
            }
        }
        return retained;
    }

    /**
     * The bytes the instances of each type retain together, counting an instance only when no other instance of its
     * type dominates it (the nodes of a linked list are not counted once per node). A lower bound of what removing
     * every instance would free: objects that several instances share, and none dominates, are not in it.
     */
    long[] retainedByType(HeapGraph graph, LongBuffer retained, TreeChildren children) {
        long[] byType = new long[graph.typeCount()];
        int[] open = new int[graph.typeCount()];
        IntStack nodes = new IntStack();
        IntStack cursors = new IntStack();
        nodes.push(children.root());
        cursors.push(children.start(children.root()));
        while (!nodes.isEmpty()) {
            int v = nodes.peek();
            int c = cursors.peek();
            if (c == children.end(v)) {
                nodes.pop();
                cursors.pop();
                if (v != children.root()) {
                    open[graph.typeOf(v)]--;
                }
                continue;
            }
            cursors.replaceTop(c + 1);
            int w = children.child(c);
            int type = graph.typeOf(w);
            if (open[type]++ == 0) {
                byType[type] += retained.get(w);
            }
            nodes.push(w);
            cursors.push(children.start(w));
        }
        return byType;
    }
}
