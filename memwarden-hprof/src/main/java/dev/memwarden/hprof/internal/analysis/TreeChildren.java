package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.internal.graph.IndexMemory;
import java.nio.IntBuffer;

/**
 * The children of each node in a {@link DominatorTree}, in CSR form: those of node v are {@code child(i)} for i in
 * {@code [start(v), end(v))}, and the virtual root's are at index {@link #root()}. Two ints per object, from the
 * {@link IndexMemory}.
 */
final class TreeChildren {
    private final int root;
    private final IntBuffer start;
    private final IntBuffer children;

    TreeChildren(DominatorTree tree, int n, IndexMemory memory) {
        this.root = n;
        this.start = memory.ints(n + 2L);
        for (int i = 0; i < tree.reachable(); i++) {
            int s = slot(tree, tree.preorder(i)) + 1;
            start.put(s, start.get(s) + 1);
        }
        for (int i = 1; i < n + 2; i++) {
            start.put(i, start.get(i) + start.get(i - 1));
        }
        this.children = memory.ints(tree.reachable());
        // In preorder, so that each list keeps the order of the depth-first search. Filling moves each start up to
        // the next one's; they are moved back after.
        for (int i = 0; i < tree.reachable(); i++) {
            int v = tree.preorder(i);
            int s = slot(tree, v);
            int at = start.get(s);
            children.put(at, v);
            start.put(s, at + 1);
        }
        for (int i = n + 1; i >= 1; i--) {
            start.put(i, start.get(i - 1));
        }
        start.put(0, 0);
    }

    private int slot(DominatorTree tree, int v) {
        int d = tree.dominator(v);
        return d >= 0 ? d : root;
    }

    int root() {
        return root;
    }

    int start(int v) {
        return start.get(v);
    }

    int end(int v) {
        return start.get(v + 1);
    }

    int child(int i) {
        return children.get(i);
    }
}
