package dev.memwarden.hprof.internal;

import dev.memwarden.hprof.CorruptDumpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.jspecify.annotations.Nullable;

/**
 * Work the analyzer hands to a second thread while it goes on with other work, where the machine has a second
 * processor. Whoever asks for the result first when no thread has taken the work up does it: on one processor, the
 * caller, when it asks. Closing waits for work under way to end, so that no array it reads is released under it.
 */
public final class SecondThread<T> implements AutoCloseable {
    /** The work: it may find the dump corrupt. */
    public interface Work<T> {
        T run() throws CorruptDumpException, IOException;
    }

    private final FutureTask<T> task;
    private final @Nullable Thread thread;

    private SecondThread(FutureTask<T> task, @Nullable Thread thread) {
        this.task = task;
        this.thread = thread;
    }

    public static <T> SecondThread<T> start(String name, Work<T> work) {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = null;
        if (Runtime.getRuntime().availableProcessors() >= 2) {
            thread = new Thread(task, "memwarden-hprof-" + name);
            thread.setDaemon(true);
            thread.start();
        }
        return new SecondThread<>(task, thread);
    }

    /** The result, once the work is done; what it threw is thrown here as it was thrown there. */
    public T get() throws CorruptDumpException {
        task.run(); // does the work here unless a thread has taken it up
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the analyzer's second thread", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CorruptDumpException corrupt) {
                throw corrupt;
            } else if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            } else if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Drops the work if no thread has taken it up, and waits for it to end if one has. */
    @Override
    public void close() {
        task.cancel(false);
        Thread running = thread;
        if (running == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                running.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the work reads arrays the caller is about to release: it must end first
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
