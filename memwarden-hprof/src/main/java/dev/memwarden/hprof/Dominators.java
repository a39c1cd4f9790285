package dev.memwarden.hprof;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The immediate dominator of every object reachable from the GC roots, by Lengauer and Tarjan's algorithm in its simple
 * form (path compression without balancing, O(m log n)), written without recursion: a heap holds chains millions of
 * objects long (a linked list), which would overflow any thread's stack. The GC roots hang under one virtual root, so
 * an object held by two roots is dominated by neither.
 *
 * <p>Work happens in preorder numbers of a depth-first search, where a dominator always has a smaller number than the
 * objects it dominates. Memory: ten ints per object and one per reference (the predecessor lists), freed on return.
 */
final class Dominators {
    /** The immediate dominator of a GC root's own subtree: the virtual root. */
    static final int VIRTUAL_ROOT = -1;
    /** No GC root reaches the object. */
    static final int UNREACHABLE = -2;

    private Dominators() {}

    /**
     * @param edgeStart the references of node i are {@code edges[edgeStart[i] .. edgeStart[i + 1])}
     * @param roots the nodes the virtual root points to, duplicates allowed
     * @param ignored the edges that do not count, such as a weak reference's referent
     */
    static DominatorTree compute(int n, int[] edgeStart, int[] edges, BitSet ignored, int[] roots) {
        // Preorder numbers from 1; 0 is the virtual root.
        int[] number = new int[n];
        int[] vertex = new int[n + 1];
        int[] parent = new int[n + 1];
        int count = depthFirst(edgeStart, edges, ignored, roots, number, vertex, parent);

        int[] predStart = new int[count + 2];
        int[] preds = predecessors(edgeStart, edges, ignored, roots, number, vertex, count, predStart);

        int[] semi = new int[count + 1];
        int[] label = new int[count + 1];
        int[] ancestor = new int[count + 1];
        int[] idom = new int[count + 1];
        int[] bucketHead = new int[count + 1];
        int[] bucketNext = new int[count + 1];
        Arrays.fill(ancestor, -1);
        Arrays.fill(bucketHead, -1);
        for (int k = 0; k <= count; k++) {
            semi[k] = k;
            label[k] = k;
        }
        IntStack path = new IntStack();
        for (int k = count; k >= 1; k--) {
            for (int i = predStart[k]; i < predStart[k + 1]; i++) {
                int u = eval(preds[i], ancestor, label, semi, path);
                if (semi[u] < semi[k]) {
                    semi[k] = semi[u];
                }
            }
            bucketNext[k] = bucketHead[semi[k]];
            bucketHead[semi[k]] = k;
            int p = parent[k];
            ancestor[k] = p;
            for (int j = bucketHead[p]; j != -1; j = bucketNext[j]) {
                int u = eval(j, ancestor, label, semi, path);
                idom[j] = semi[u] < semi[j] ? u : p;
            }
            bucketHead[p] = -1;
        }
        for (int k = 1; k <= count; k++) {
            if (idom[k] != semi[k]) {
                idom[k] = idom[idom[k]];
            }
        }

        int[] dominator = new int[n];
        Arrays.fill(dominator, UNREACHABLE);
        for (int k = 1; k <= count; k++) {
            dominator[vertex[k]] = idom[k] == 0 ? VIRTUAL_ROOT : vertex[idom[k]];
        }
        return new DominatorTree(dominator, Arrays.copyOfRange(vertex, 1, count + 1));
    }

    /** Numbers the nodes reachable from the roots in preorder; returns how many there are. */
    private static int depthFirst(
            int[] edgeStart, int[] edges, BitSet ignored, int[] roots, int[] number, int[] vertex, int[] parent) {
        IntStack nodes = new IntStack();
        IntStack cursors = new IntStack();
        int count = 0;
        for (int root : roots) {
            if (number[root] != 0) {
                continue;
            }
            number[root] = ++count;
            vertex[count] = root;
            parent[count] = 0;
            nodes.push(root);
            cursors.push(edgeStart[root]);
            while (!nodes.isEmpty()) {
                int v = nodes.peek();
                int e = cursors.peek();
                if (e == edgeStart[v + 1]) {
                    nodes.pop();
                    cursors.pop();
                    continue;
                }
                cursors.replaceTop(e + 1);
                int w = edges[e];
                if (number[w] == 0 && !ignored.get(e)) {
                    number[w] = ++count;
                    vertex[count] = w;
                    parent[count] = number[v];
                    nodes.push(w);
                    cursors.push(edgeStart[w]);
                }
            }
        }
        return count;
    }

    /** Each reachable node's predecessors, as preorder numbers; a root has the virtual root, 0, among them. */
    private static int[] predecessors(
            int[] edgeStart,
            int[] edges,
            BitSet ignored,
            int[] roots,
            int[] number,
            int[] vertex,
            int count,
            int[] predStart) {
        for (int root : roots) {
            predStart[number[root] + 1]++;
        }
        for (int k = 1; k <= count; k++) {
            int v = vertex[k];
            for (int e = edgeStart[v]; e < edgeStart[v + 1]; e++) {
                if (!ignored.get(e)) {
                    predStart[number[edges[e]] + 1]++;
                }
            }
        }
        for (int k = 1; k <= count + 1; k++) {
            predStart[k] += predStart[k - 1];
        }
        long total = predStart[count + 1];
        int[] preds = new int[(int) total];
        int[] fill = Arrays.copyOf(predStart, count + 1);
        for (int root : roots) {
            preds[fill[number[root]]++] = 0;
        }
        for (int k = 1; k <= count; k++) {
            int v = vertex[k];
            for (int e = edgeStart[v]; e < edgeStart[v + 1]; e++) {
                if (!ignored.get(e)) {
                    preds[fill[number[edges[e]]]++] = k;
                }
            }
        }
        return preds;
    }

    /**
     * The node of least semidominator on the forest path from v up to (not including) its tree's root, compressing
     * the path as it goes: the recursion of the textbook, with the path kept on an explicit stack.
     */
    private static int eval(int v, int[] ancestor, int[] label, int[] semi, IntStack path) {
        if (ancestor[v] < 0) {
            return v;
        }
        int x = v;
        while (ancestor[ancestor[x]] >= 0) {
            path.push(x);
            x = ancestor[x];
        }
        while (!path.isEmpty()) {
            int y = path.pop();
            int a = ancestor[y];
            if (semi[label[a]] < semi[label[y]]) {
                label[y] = label[a];
            }
            ancestor[y] = ancestor[a];
        }
        return label[v];
    }
}
