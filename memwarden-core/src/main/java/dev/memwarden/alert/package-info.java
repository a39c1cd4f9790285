/** Where health transitions go: the {@link dev.memwarden.alert.AlertSink} SPI and the built-in log and webhook sinks. */
@NullMarked
package dev.memwarden.alert;

import org.jspecify.annotations.NullMarked;
