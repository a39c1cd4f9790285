package dev.memwarden.hprof.internal.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.hprof.internal.graph.IndexMemory;
import dev.memwarden.hprof.internal.graph.ReferenceGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lengauer–Tarjan against the textbook data-flow definition on random graphs, and on the shapes heaps really have. */
class DominatorsTest {
    /** A graph as adjacency lists, turned into arrays as the heap's graph keeps them. */
    private static final class Graph implements ReferenceGraph {
        final int n;
        final int[] edgeStart;
        final int[] edges;
        final int[] roots;

        private Graph(int n, int[] edgeStart, int[] edges, int[] roots) {
            this.n = n;
            this.edgeStart = edgeStart;
            this.edges = edges;
            this.roots = roots;
        }

        static Graph of(int n, List<int[]> edgeList, int... roots) {
            int[] start = new int[n + 1];
            for (int[] e : edgeList) {
                start[e[0] + 1]++;
            }
            for (int i = 0; i < n; i++) {
                start[i + 1] += start[i];
            }
            int[] fill = Arrays.copyOf(start, n);
            int[] edges = new int[edgeList.size()];
            for (int[] e : edgeList) {
                edges[fill[e[0]]++] = e[1];
            }
            return new Graph(n, start, edges, roots);
        }

        DominatorTree dominators() {
            return dominators(IndexMemory.heap());
        }

        DominatorTree dominators(IndexMemory memory) {
            return Dominators.compute(this, memory);
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public int firstEdge(int node) {
            return edgeStart[node];
        }

        @Override
        public int endEdge(int node) {
            return edgeStart[node + 1];
        }

        @Override
        public int target(int edge) {
            return edges[edge];
        }

        @Override
        public boolean isWeak(int edge) {
            return false;
        }

        @Override
        public int rootCount() {
            return roots.length;
        }

        @Override
        public int root(int i) {
            return roots[i];
        }
    }

    /**
     * The definition, computed the slow way: Dom(root) = {root}, Dom(v) = {v} ∪ ⋂ Dom(p) over v's predecessors, until
     * nothing changes; the virtual root is node n. The immediate dominator is the strict dominator that every other
     * strict dominator dominates, the one with the largest dominator set.
     */
    private static int[] referenceDominators(Graph g) {
        int n = g.n;
        List<List<Integer>> preds = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            preds.add(new ArrayList<>());
        }
        for (int v = 0; v < n; v++) {
            for (int e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
                preds.get(g.edges[e]).add(v);
            }
        }
        for (int r : g.roots) {
            preds.get(r).add(n);
        }
        BitSet reachable = new BitSet();
        reachable.set(n);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int v = 0; v < n; v++) {
                if (!reachable.get(v) && preds.get(v).stream().anyMatch(reachable::get)) {
                    reachable.set(v);
                    grew = true;
                }
            }
        }
        BitSet[] dom = new BitSet[n + 1];
        for (int v = 0; v <= n; v++) {
            dom[v] = new BitSet();
            if (v == n) {
                dom[v].set(n);
            } else {
                dom[v].set(0, n + 1);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int v = 0; v < n; v++) {
                if (!reachable.get(v)) {
                    continue;
                }
                BitSet next = new BitSet();
                next.set(0, n + 1);
                for (int p : preds.get(v)) {
                    if (reachable.get(p)) {
                        next.and(dom[p]);
                    }
                }
                next.set(v);
                if (!next.equals(dom[v])) {
                    dom[v] = next;
                    changed = true;
                }
            }
        }
        int[] idom = new int[n];
        for (int v = 0; v < n; v++) {
            if (!reachable.get(v)) {
                idom[v] = Dominators.UNREACHABLE;
                continue;
            }
            int best = -1;
            for (int d = dom[v].nextSetBit(0); d >= 0; d = dom[v].nextSetBit(d + 1)) {
                if (d != v && (best < 0 || dom[d].cardinality() > dom[best].cardinality())) {
                    best = d;
                }
            }
            idom[v] = best == n ? Dominators.VIRTUAL_ROOT : best;
        }
        return idom;
    }

    /** Up to 40 nodes, up to three edges a node, one to three roots; the edges also go to {@code edges}. */
    private static Graph randomGraph(Random random, List<int[]> edges) {
        int n = 1 + random.nextInt(40);
        int edgeCount = random.nextInt(3 * n + 1);
        for (int i = 0; i < edgeCount; i++) {
            edges.add(new int[] {random.nextInt(n), random.nextInt(n)});
        }
        return Graph.of(n, edges, random.ints(1 + random.nextInt(3), 0, n).toArray());
    }

    @Test
    void agreesWithTheDataFlowDefinitionOnThousandsOfRandomGraphs() {
        Random random = new Random(11);
        for (int round = 0; round < 3000; round++) {
            List<int[]> edges = new ArrayList<>();
            Graph g = randomGraph(random, edges);
            int n = g.n;

            DominatorTree tree = g.dominators();
            int[] expected = referenceDominators(g);
            for (int v = 0; v < n; v++) {
                assertThat(tree.dominator(v))
                        .as("round %d, node %d of %s", round, v, edges)
                        .isEqualTo(expected[v]);
            }
        }
    }

    @Test
    void spilledToFilesTheResultIsTheSame(@TempDir Path spill) throws Exception {
        Random random = new Random(12);
        for (int round = 0; round < 300; round++) {
            Graph g = randomGraph(random, new ArrayList<>());

            try (IndexMemory memory = IndexMemory.spilledTo(spill)) {
                DominatorTree tree = g.dominators(memory);
                int[] expected = referenceDominators(g);
                for (int v = 0; v < g.n; v++) {
                    assertThat(tree.dominator(v))
                            .as("round %d, node %d", round, v)
                            .isEqualTo(expected[v]);
                }
            }
        }
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).isEmpty(); // each file deleted as soon as it was mapped
        }
    }

    @Test
    void aLinkedListOfAMillionNodesNeedsNoRecursion() {
        int n = 1_000_000;
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i + 1 < n; i++) {
            edges.add(new int[] {i, i + 1});
        }
        DominatorTree tree = Graph.of(n, edges, 0).dominators();

        assertThat(tree.dominator(0)).isEqualTo(Dominators.VIRTUAL_ROOT);
        assertThat(tree.dominator(n - 1)).isEqualTo(n - 2);
        assertThat(tree.reachable()).isEqualTo(n);
    }

    @Test
    void aDoublyLinkedListWithWideFanInIsDominatedByItsHead() {
        // A head, a doubly linked chain of 100,000 nodes, and 1,000 holders that all point at every 100th node:
        // the shape that makes walking dominator chains per shared object quadratic.
        int chain = 100_000;
        int holders = 1_000;
        int n = 1 + chain + holders;
        List<int[]> edges = new ArrayList<>();
        edges.add(new int[] {0, 1});
        for (int i = 1; i < chain; i++) {
            edges.add(new int[] {i, i + 1});
            edges.add(new int[] {i + 1, i});
        }
        for (int h = 0; h < holders; h++) {
            edges.add(new int[] {0, chain + 1 + h});
            for (int i = 1; i <= chain; i += 100) {
                edges.add(new int[] {chain + 1 + h, i});
            }
        }
        DominatorTree tree = Graph.of(n, edges, 0).dominators();

        // Up to the last node a holder points at, every node is reached both forwards from the head and backwards
        // from a later held node: only the head dominates it. Past it, the chain is a plain list again.
        int lastHeld = chain - (chain - 1) % 100;
        for (int v = 1; v < n; v++) {
            int expected = v > chain || v <= lastHeld ? 0 : v - 1;
            assertThat(tree.dominator(v)).as("node %d", v).isEqualTo(expected);
        }
    }
}
