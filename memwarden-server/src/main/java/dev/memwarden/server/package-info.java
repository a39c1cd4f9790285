/**
 * The management HTTP API over a running {@link dev.memwarden.Memwarden}: start with {@link
 * dev.memwarden.server.MemwardenServer#builder}.
 */
@NullMarked
package dev.memwarden.server;

import org.jspecify.annotations.NullMarked;
