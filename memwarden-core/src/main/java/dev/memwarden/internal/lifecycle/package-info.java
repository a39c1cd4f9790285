/** Not API: the GC death-spiral guard, which the facade starts when configured. */
@NullMarked
package dev.memwarden.internal.lifecycle;

import org.jspecify.annotations.NullMarked;
