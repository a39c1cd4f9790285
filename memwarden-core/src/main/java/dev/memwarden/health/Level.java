package dev.memwarden.health;

/** How healthy a rule, or the JVM as a whole, is. Ordered: a later constant is worse. */
public enum Level {
    OK,
    WARN,
    CRITICAL;

    public Level worse(Level other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
