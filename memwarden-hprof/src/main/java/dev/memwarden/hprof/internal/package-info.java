/** Internal to memwarden-hprof: no compatibility is promised for anything under this package. */
@NullMarked
package dev.memwarden.hprof.internal;

import org.jspecify.annotations.NullMarked;
