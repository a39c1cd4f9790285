/**
 * Not API: what memwarden's own modules share (the server, the agent, the command line, the demo). Types here may
 * change or go without notice, and the API-compatibility check leaves them out.
 */
@NullMarked
package dev.memwarden.internal;

import org.jspecify.annotations.NullMarked;
