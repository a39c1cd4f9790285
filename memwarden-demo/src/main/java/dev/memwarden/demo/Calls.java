package dev.memwarden.demo;

import dev.memwarden.bounded.ListenerRegistry;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.internal.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Calls: each subscribes to the call-ended event with its context, encodes its audio through a direct buffer,
 * hands the transcription to a worker and delivers the result downstream, which sometimes fails (those go to the
 * dead letters). Bounded, the subscription is closed when the call ends, buffers come from a small pool and
 * workers from a fixed pool. Three of the leaks live here: the subscription never closed, a direct buffer per call
 * kept in a map, and a thread per call that waits for an event that never comes.
 */
final class Calls implements AutoCloseable {
    static final String LISTENERS = "call-listeners";
    static final int BUFFER_BYTES = 32 * 1024;
    private static final String CALL_ENDED = "call-ended";

    /** What a call keeps while it runs: its transcript so far. */
    static final class CallContext {
        final long id;
        final String caller;
        final byte[] transcript = new byte[4096];

        CallContext(long id, String caller) {
            this.id = id;
            this.caller = caller;
        }
    }

    private final Leak leak;
    private final ListenerRegistry<Consumer<Long>> listeners;
    private final BlockingQueue<ByteBuffer> bufferPool = new ArrayBlockingQueue<>(4);
    private final Map<Long, ByteBuffer> buffersByCall = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final DeadLetters deadLetters;
    private final AtomicLong nextId = new AtomicLong();
    private final CountDownLatch neverCounted = new CountDownLatch(1);

    Calls(Leak leak, ResourceRegistry registry, DeadLetters deadLetters) {
        this.leak = leak;
        this.deadLetters = deadLetters;
        this.listeners = ListenerRegistry.builder()
                .name(LISTENERS)
                .maxListeners(200)
                .registry(registry)
                .build();
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-call-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Handles one call and returns its id. */
    long handle(String caller) throws InterruptedException {
        long id = nextId.incrementAndGet();
        CallContext context = new CallContext(id, caller);
        AutoCloseable subscription = listeners.add(CALL_ENDED, ended -> {
            if (ended == context.id) {
                context.transcript[0] = 1; // the call's clean-up would go here
            }
        });

        ByteBuffer buffer = leak == Leak.DIRECT_BUFFERS ? ByteBuffer.allocateDirect(BUFFER_BYTES) : borrow();
        buffer.clear();
        buffer.put(caller.getBytes(StandardCharsets.UTF_8));
        if (leak == Leak.DIRECT_BUFFERS) {
            buffersByCall.put(id, buffer); // "for a replay", never removed
        } else {
            bufferPool.offer(buffer);
        }

        if (leak == Leak.THREADS) {
            // A per-call watchdog waiting for a hang-up event that this code path never signals.
            Thread watchdog = new Thread(this::awaitHangUp, "demo-call-watchdog-" + id);
            watchdog.setDaemon(true);
            watchdog.start();
        } else {
            try {
                workers.submit(() -> transcribe(context)).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("transcribing call " + id + " failed", e);
            }
        }

        if (id % 4 == 0) {
            deadLetters.add(Json.write(json -> {
                json.writeStartObject();
                json.writeNumberField("call", id);
                json.writeStringField("caller", caller);
                json.writeStringField("transcript", "x".repeat(2000));
                json.writeEndObject();
            }));
        }
        listeners.fire(CALL_ENDED, l -> l.accept(id));
        if (leak != Leak.LISTENERS) {
            try {
                subscription.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a call's subscription", e);
            }
        }
        return id;
    }

    private ByteBuffer borrow() {
        ByteBuffer pooled = bufferPool.poll();
        return pooled != null ? pooled : ByteBuffer.allocateDirect(BUFFER_BYTES);
    }

    private void awaitHangUp() {
        try {
            neverCounted.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int transcribe(CallContext context) {
        int sum = 0;
        for (byte b : context.transcript) {
            sum += b;
        }
        return sum;
    }

    int subscriptions() {
        return listeners.total();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        neverCounted.countDown();
    }
}
