/** The object graph of a dump, built from the records into arrays indexed by object, and read by the analyses through {@link dev.memwarden.hprof.internal.graph.HeapGraph}. */
@NullMarked
package dev.memwarden.hprof.internal.graph;

import org.jspecify.annotations.NullMarked;
