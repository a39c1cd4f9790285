/** What the analyzer computes over a {@link dev.memwarden.hprof.internal.graph.HeapGraph}: dominators, retained sizes, paths from GC roots, leak suspects, the comparison of two dumps. */
@NullMarked
package dev.memwarden.hprof.internal.analysis;

import org.jspecify.annotations.NullMarked;
