/** The {@code memwarden-hprof} command line over {@link dev.memwarden.hprof.HeapAnalyzer}. */
@NullMarked
package dev.memwarden.hprof.cli;

import org.jspecify.annotations.NullMarked;
