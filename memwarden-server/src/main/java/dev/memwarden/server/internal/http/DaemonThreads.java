package dev.memwarden.server.internal.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code memwarden-<name>-<n>}: they never keep the host from exiting. */
final class DaemonThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, "memwarden-" + name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
