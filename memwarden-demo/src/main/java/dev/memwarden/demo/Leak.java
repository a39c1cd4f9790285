package dev.memwarden.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The leaks the demo can switch on, each the way production services actually leak. */
public enum Leak {
    NONE("a healthy service: every structure bounded, every subscription closed"),
    SESSIONS("chat sessions kept forever, each with its whole message history"),
    SSE_CLIENTS("disconnected SSE clients never removed, each buffering the events it missed"),
    LISTENERS("a listener subscribed per call and never removed, holding the call's context"),
    DEAD_LETTERS("failed deliveries kept in memory and retried forever, never removed on success"),
    DIRECT_BUFFERS("a direct buffer per call kept in a map nobody clears"),
    THREADS("a thread per call waiting for an event that never comes");

    private final String description;

    Leak(String description) {
        this.description = description;
    }

    /** The name on the command line: {@code sse-clients} for {@link #SSE_CLIENTS}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /** The leak named on the command line, or an error listing the names there are. */
    public static Leak parse(String name) {
        for (Leak leak : values()) {
            if (leak.cliName().equals(name)) {
                return leak;
            }
        }
        throw new IllegalArgumentException("unknown leak '" + name + "'; choose one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(Leak::cliName).collect(Collectors.joining(", "));
    }
}
