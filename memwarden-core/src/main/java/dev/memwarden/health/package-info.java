/** Health levels: rules with thresholds held for a duration and cleared with hysteresis. */
@NullMarked
package dev.memwarden.health;

import org.jspecify.annotations.NullMarked;
