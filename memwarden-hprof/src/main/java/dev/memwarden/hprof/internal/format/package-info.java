/** Reads HPROF 1.0.1 and 1.0.2 record by record and tells a visitor what it finds; nothing above the records. */
@NullMarked
package dev.memwarden.hprof.internal.format;

import org.jspecify.annotations.NullMarked;
