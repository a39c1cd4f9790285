/** Internal to memwarden-server: no compatibility is promised. */
@NullMarked
package dev.memwarden.server.internal.metrics;

import org.jspecify.annotations.NullMarked;
