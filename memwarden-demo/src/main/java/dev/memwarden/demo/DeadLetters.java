package dev.memwarden.demo;

import dev.memwarden.bounded.BoundedQueue;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.TrackedScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Deliveries that failed, retried every second. Bounded, they wait in a {@link BoundedQueue} that spills to disk
 * past {@value #IN_MEMORY} (nothing lost, memory fixed) and a delivered one is gone. Leaking, they are kept in a
 * list that the retry loop walks but never removes from: the dead-letter queue that only grows.
 */
final class DeadLetters implements AutoCloseable {
    static final String NAME = "dead-letters";
    static final int IN_MEMORY = 500;
    private static final int RETRIES_PER_RUN = 200;

    private final @Nullable BoundedQueue<String> queue;
    private final @Nullable Path spillDirectory;
    private final List<String> retrying = new ArrayList<>();
    private final Predicate<String> deliver;
    private final AtomicLong delivered = new AtomicLong();

    DeadLetters(boolean leak, ResourceRegistry registry, TrackedScheduler scheduler, Predicate<String> deliver) {
        this.deliver = deliver;
        if (leak) {
            this.queue = null;
            this.spillDirectory = null;
            registry.watch(NAME, retrying);
        } else {
            try {
                this.spillDirectory = Files.createTempDirectory("memwarden-demo-dead-letters");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the dead-letter spill directory", e);
            }
            this.queue = BoundedQueue.<String>builder()
                    .name(NAME)
                    .capacity(IN_MEMORY)
                    .overflow(BoundedQueue.Overflow.SPILL)
                    .spillTo(spillDirectory, BoundedQueue.Codec.utf8())
                    .spillMaxBytes(256L << 20)
                    .registry(registry)
                    .build();
        }
        // The scheduler guards the task and is cancelled as a whole on close; this future has nothing more to say.
        var unused = scheduler.maintenance("dead-letter-retry", Duration.ofSeconds(1), this::retry);
    }

    void add(String payload) {
        BoundedQueue<String> q = queue;
        if (q == null) {
            synchronized (retrying) {
                retrying.add(payload);
            }
        } else {
            q.offer(payload);
        }
    }

    private void retry() {
        BoundedQueue<String> q = queue;
        if (q == null) {
            List<String> all;
            synchronized (retrying) {
                all = new ArrayList<>(retrying);
            }
            // The bug this mode stands for: a delivered letter is counted, but never removed.
            all.stream().limit(RETRIES_PER_RUN).filter(deliver).forEach(p -> delivered.incrementAndGet());
            return;
        }
        List<String> batch = new ArrayList<>();
        q.drain(batch::add, RETRIES_PER_RUN);
        for (String payload : batch) {
            if (deliver.test(payload)) {
                delivered.incrementAndGet();
            } else {
                q.offer(payload);
            }
        }
    }

    int waiting() {
        BoundedQueue<String> q = queue;
        if (q != null) {
            return q.size();
        }
        synchronized (retrying) {
            return retrying.size();
        }
    }

    @Override
    public void close() {
        BoundedQueue<String> q = queue;
        Path directory = spillDirectory;
        if (q == null || directory == null) {
            return;
        }
        q.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the shutdown for
        }
    }
}
