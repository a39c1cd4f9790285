package dev.memwarden.hprof;

/**
 * Who dominates whom among the reachable objects of a {@link HeapGraph}, and the retained sizes that follow: an
 * object's retained size is what the heap would lose if it were gone, itself and everything it dominates.
 */
final class DominatorTree {
    private final int[] dominator;
    private final int[] preorder;

    DominatorTree(int[] dominator, int[] preorder) {
        this.dominator = dominator;
        this.preorder = preorder;
    }

    /** The immediate dominator of a node, {@link Dominators#VIRTUAL_ROOT} or {@link Dominators#UNREACHABLE}. */
    int dominator(int node) {
        return dominator[node];
    }

    int reachable() {
        return preorder.length;
    }

    /** The i-th reachable node in the depth-first search's preorder, where a node comes before all it dominates. */
    int preorder(int i) {
        return preorder[i];
    }

    /** The retained size of every node; 0 for unreachable ones. */
    long[] retainedSizes(HeapGraph graph) {
        long[] retained = new long[dominator.length];
        // Backwards through the preorder, an object comes after everything it dominates.
        for (int i = preorder.length - 1; i >= 0; i--) {
            int v = preorder[i];
            retained[v] += graph.shallowBytes(v);
            int d = dominator[v];
            if (d >= 0) {
                retained[d] += retained[v];
            }
        }
        return retained;
    }

    /**
     * The bytes the instances of each type retain together, counting an instance only when no other instance of its
     * type dominates it (the nodes of a linked list are not counted once per node). A lower bound of what removing
     * every instance would free: objects that several instances share, and none dominates, are not in it.
     */
    long[] retainedByType(HeapGraph graph, long[] retained, TreeChildren children) {
        long[] byType = new long[graph.types.count()];
        int[] open = new int[graph.types.count()];
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
                    open[graph.typeOf[v]]--;
                }
                continue;
            }
            cursors.replaceTop(c + 1);
            int w = children.child(c);
            int type = graph.typeOf[w];
            if (open[type]++ == 0) {
                byType[type] += retained[w];
            }
            nodes.push(w);
            cursors.push(children.start(w));
        }
        return byType;
    }
}
