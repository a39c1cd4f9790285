/**
 * A small real service, modelled on the services that leak, with memwarden embedded: an SSE transcript feed, chat
 * sessions, calls with subscriptions and a dead-letter retry loop. Each leak can be switched on ({@link
 * dev.memwarden.demo.Leak}); with none, every structure is bounded the way memwarden means it. Start at {@link
 * dev.memwarden.demo.DemoMain}.
 */
@NullMarked
package dev.memwarden.demo;

import org.jspecify.annotations.NullMarked;
