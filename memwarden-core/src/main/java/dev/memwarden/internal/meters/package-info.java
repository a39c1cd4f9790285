/** Internal to memwarden: the meters every exporter shares. No compatibility is promised. */
@NullMarked
package dev.memwarden.internal.meters;

import org.jspecify.annotations.NullMarked;
