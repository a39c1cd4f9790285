/** Whether a JVM's memory fits its container: {@link dev.memwarden.budget.MemoryBudget}. */
@NullMarked
package dev.memwarden.budget;

import org.jspecify.annotations.NullMarked;
