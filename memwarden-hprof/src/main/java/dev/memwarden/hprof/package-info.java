/**
 * Reads HPROF heap dumps and answers what fills the heap and what keeps it alive, on the machine where the dump was
 * taken. Start with {@link dev.memwarden.hprof.HeapAnalyzer#analyze}; {@code java -jar memwarden-hprof.jar analyze
 * DUMP} runs it from a shell.
 */
@NullMarked
package dev.memwarden.hprof;

import org.jspecify.annotations.NullMarked;
