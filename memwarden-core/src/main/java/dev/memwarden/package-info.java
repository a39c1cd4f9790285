/**
 * memwarden keeps JVM services from running out of memory. Start with {@link dev.memwarden.Memwarden#builder()}.
 */
@NullMarked
package dev.memwarden;

import org.jspecify.annotations.NullMarked;
