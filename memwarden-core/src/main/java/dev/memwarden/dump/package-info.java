/** Heap dumps taken with care: owner-only, never over a file, within a disk budget and a rate. */
@NullMarked
package dev.memwarden.dump;

import org.jspecify.annotations.NullMarked;
