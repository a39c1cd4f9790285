/** Internal to memwarden-server: no compatibility is promised. */
@NullMarked
package dev.memwarden.server.internal.http;

import org.jspecify.annotations.NullMarked;
