package dev.memwarden.hprof;

import java.util.Arrays;

/**
 * The children of each node in a {@link DominatorTree}, in CSR form: those of node v are {@code child(i)} for i in
 * {@code [start(v), end(v))}, and the virtual root's are at index {@link #root()}. Two ints per object.
 */
final class TreeChildren {
    private final int root;
    private final int[] start;
    private final int[] children;

    TreeChildren(DominatorTree tree, int n) {
        this.root = n;
        this.start = new int[n + 2];
        for (int i = 0; i < tree.reachable(); i++) {
            start[slot(tree, tree.preorder(i)) + 1]++;
        }
        for (int i = 1; i < start.length; i++) {
            start[i] += start[i - 1];
        }
        this.children = new int[tree.reachable()];
        int[] fill = Arrays.copyOf(start, n + 1);
        // In preorder, so that each list keeps the order of the depth-first search.
        for (int i = 0; i < tree.reachable(); i++) {
            int v = tree.preorder(i);
            children[fill[slot(tree, v)]++] = v;
        }
    }

    private int slot(DominatorTree tree, int v) {
        int d = tree.dominator(v);
        return d >= 0 ? d : root;
    }

    int root() {
        return root;
    }

    int start(int v) {
        return start[v];
    }

    int end(int v) {
        return start[v + 1];
    }

    int child(int i) {
        return children[i];
    }
}
