/** Not API: the health rules' evaluation on every sample. */
@NullMarked
package dev.memwarden.internal.health;

import org.jspecify.annotations.NullMarked;
