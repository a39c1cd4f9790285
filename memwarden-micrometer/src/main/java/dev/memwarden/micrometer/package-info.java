/** memwarden's meters for Micrometer: {@link dev.memwarden.micrometer.MemwardenMeterBinder}. */
@NullMarked
package dev.memwarden.micrometer;

import org.jspecify.annotations.NullMarked;
