/** Minimal JSON output for memwarden's fixed-shape payloads. */
@NullMarked
package dev.memwarden.json;

import org.jspecify.annotations.NullMarked;
