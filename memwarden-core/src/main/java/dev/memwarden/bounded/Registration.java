package dev.memwarden.bounded;

/**
 * The handle of something put under watch in a {@link ResourceRegistry}. The registry holds it weakly: the watch
 * lasts as long as the caller keeps this handle (typically in a field next to the structure watched), or until
 * {@link #close()}.
 */
public final class Registration implements AutoCloseable {
    private final Tracked tracked;
    private volatile boolean closed;

    Registration(Tracked tracked) {
        this.tracked = tracked;
    }

    Tracked tracked() {
        return tracked;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
