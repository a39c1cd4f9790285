package dev.memwarden.hprof.internal.graph;

/**
 * Objects and the references between them, by index, with the GC roots: all that a traversal of the heap needs. The
 * references of a node are the edges {@code firstEdge(node) .. endEdge(node)}, exclusive of the end.
 */
public interface ReferenceGraph {
    /** How many objects there are: nodes are numbered from 0. */
    int size();

    int firstEdge(int node);

    int endEdge(int node);

    /** The node an edge leads to. */
    int target(int edge);

    /** Whether an edge is the referent of a weak, soft, phantom or final reference, which does not keep it alive. */
    boolean isWeak(int edge);

    /** How many GC roots there are; an object held by two roots counts twice. */
    int rootCount();

    /** The node the i-th GC root holds. */
    int root(int i);
}
