/** Shutting a service down cleanly within a deadline: {@link dev.memwarden.lifecycle.ShutdownCoordinator}. */
@NullMarked
package dev.memwarden.lifecycle;

import org.jspecify.annotations.NullMarked;
