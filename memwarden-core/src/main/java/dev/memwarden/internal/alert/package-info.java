/** Not API: the built-in alert sinks (log and webhook), which the facade builds from the configuration. */
@NullMarked
package dev.memwarden.internal.alert;

import org.jspecify.annotations.NullMarked;
