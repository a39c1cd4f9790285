package dev.memwarden.bounded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A FIFO queue with a fixed capacity in memory and a policy for what happens when it is full. Nothing is dropped
 * silently: every element that does not get in is counted, and drops are logged (rate-limited).
 *
 * <ul>
 *   <li>{@link Overflow#DROP_OLDEST}: the oldest element makes room; {@link #offer} returns true.
 *   <li>{@link Overflow#DROP_NEWEST}: the new element is discarded; {@link #offer} returns false.
 *   <li>{@link Overflow#REJECT}: {@link #offer} returns false and the caller decides.
 *   <li>{@link Overflow#SPILL}: overflow goes to an append-only log on disk, bounded in bytes, and comes back in
 *       order as room frees. A dead-letter queue is this. Spilled elements survive the process being killed and
 *       are recovered when a queue is built on the same directory; those held in memory do not.
 * </ul>
 *
 * <p>The contract follows JCTools' {@code MessagePassingQueue}: {@code offer} returns false only when the element
 * was not taken, {@link #drain} hands over at most {@code limit} elements. Any thread may call any method; one
 * lock serializes them, and {@code drain} calls its consumer outside it.
 */
public final class BoundedQueue<T> implements Tracked, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BoundedQueue.class.getName());

    /** What a full queue does with one more element. */
    public enum Overflow {
        DROP_OLDEST,
        DROP_NEWEST,
        REJECT,
        SPILL
    }

    private final String name;
    private final int capacity;
    private final Overflow overflow;
    private final ArrayDeque<T> memory;
    private final @Nullable SpillLog spill;
    private final @Nullable Codec<T> codec;
    private final RateLimitedLogger log;
    private final ReentrantLock lock = new ReentrantLock();
    private long offered;
    private long dropped;
    private long rejected;
    private long spilled;
    private long spillErrors;

    private BoundedQueue(Builder<T> builder) {
        this.name = builder.name;
        this.capacity = builder.capacity;
        this.overflow = builder.overflow;
        this.memory = new ArrayDeque<>(Math.min(capacity, 1024));
        this.log = RateLimitedLogger.builder(LOG).build();
        Path directory = builder.spillDirectory;
        if (overflow == Overflow.SPILL) {
            if (directory == null || builder.codec == null) {
                throw new IllegalStateException("queue '" + name + "': SPILL needs spillTo(directory, codec)");
            }
            try {
                this.spill = SpillLog.open(directory, builder.spillMaxBytes, builder.segmentBytes, builder.sync);
            } catch (IOException e) {
                throw new UncheckedIOException("queue '" + name + "': cannot open spill directory " + directory, e);
            }
            this.codec = builder.codec;
            SpillLog.Recovery recovery = spill.recovery();
            if (recovery.tornTails() + recovery.corruptSegments() > 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "queue '" + name + "' recovered " + recovery.records()
                                + " spilled elements; skipped " + recovery.bytesSkipped() + " bytes of "
                                + recovery.tornTails() + " torn tail(s) and " + recovery.corruptSegments()
                                + " corrupt segment(s)");
            }
            refill();
        } else {
            this.spill = null;
            this.codec = null;
        }
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** Puts an element in; returns false only when it was not taken (see the overflow policies). */
    public boolean offer(T element) {
        lock.lock();
        try {
            offered++;
            if (spill != null && spill.records() > 0) {
                return spill(element); // keep FIFO order: nothing overtakes what already spilled
            }
            if (memory.size() < capacity) {
                memory.addLast(element);
                return true;
            }
            switch (overflow) {
                case DROP_OLDEST -> {
                    memory.pollFirst();
                    memory.addLast(element);
                    dropped++;
                    log.log(
                            "dropped",
                            System.Logger.Level.WARNING,
                            () -> "queue '" + name + "' is full (" + capacity + "); dropped its oldest element, "
                                    + dropped + " so far",
                            null);
                    return true;
                }
                case DROP_NEWEST -> {
                    dropped++;
                    log.log(
                            "dropped",
                            System.Logger.Level.WARNING,
                            () -> "queue '" + name + "' is full (" + capacity + "); dropped a new element, " + dropped
                                    + " so far",
                            null);
                    return false;
                }
                case REJECT -> {
                    rejected++;
                    return false;
                }
                case SPILL -> {
                    return spill(element);
                }
            }
            throw new AssertionError(overflow);
        } finally {
            lock.unlock();
        }
    }

    private boolean spill(T element) {
        SpillLog log = spillLog();
        Codec<T> c = codec();
        try {
            if (log.append(c.encode(element))) {
                spilled++;
                return true;
            }
            rejected++;
            this.log.log(
                    "spill-full",
                    System.Logger.Level.WARNING,
                    () -> "queue '" + name + "': spill directory is at its byte budget; rejected an element, "
                            + rejected + " so far",
                    null);
        } catch (IOException e) {
            rejected++;
            spillErrors++;
            this.log.log(
                    "spill-error",
                    System.Logger.Level.ERROR,
                    () -> "queue '" + name + "': could not spill an element; rejected it",
                    e);
        }
        return false;
    }

    /** The oldest element, or null when empty. */
    public @Nullable T poll() {
        lock.lock();
        try {
            T element = memory.pollFirst();
            refill();
            return element;
        } finally {
            lock.unlock();
        }
    }

    /** Hands at most {@code limit} elements, oldest first, to {@code consumer}; returns how many. */
    public int drain(Consumer<? super T> consumer, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit cannot be negative: " + limit);
        }
        List<T> taken = new ArrayList<>(Math.min(limit, 1024));
        lock.lock();
        try {
            while (taken.size() < limit) {
                T element = memory.pollFirst();
                if (element == null) {
                    break;
                }
                taken.add(element);
                refill();
            }
        } finally {
            lock.unlock();
        }
        taken.forEach(consumer);
        return taken.size();
    }

    /** Moves spilled elements back into memory while there is room. Called with the lock held. */
    private void refill() {
        SpillLog log = spill;
        if (log == null) {
            return;
        }
        Codec<T> c = codec();
        try {
            while (memory.size() < capacity && log.records() > 0) {
                byte[] bytes = log.poll();
                if (bytes == null) {
                    break;
                }
                memory.addLast(c.decode(bytes));
            }
        } catch (IOException | RuntimeException e) {
            spillErrors++;
            this.log.log(
                    "refill-error",
                    System.Logger.Level.ERROR,
                    () -> "queue '" + name + "': could not read back a spilled element",
                    e);
        }
    }

    private SpillLog spillLog() {
        SpillLog log = spill;
        if (log == null) {
            throw new IllegalStateException("no spill log");
        }
        return log;
    }

    private Codec<T> codec() {
        Codec<T> c = codec;
        if (c == null) {
            throw new IllegalStateException("no codec");
        }
        return c;
    }

    /** Elements held, in memory and spilled. */
    public int size() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, memory.size() + (spill == null ? 0 : spill.records()));
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    public Overflow overflow() {
        return overflow;
    }

    /** Counters since creation; {@code recovered} is what a spill directory held when the queue was built. */
    public record Stats(
            long offered,
            long dropped,
            long rejected,
            long spilled,
            long onDisk,
            long spillBytes,
            long spillErrors,
            long recovered,
            long tornTailsSkipped) {}

    public Stats stats() {
        lock.lock();
        try {
            SpillLog log = spill;
            return new Stats(
                    offered,
                    dropped,
                    rejected,
                    spilled,
                    log == null ? 0 : log.records(),
                    log == null ? 0 : log.bytesOnDisk(),
                    spillErrors,
                    log == null ? 0 : log.recovery().records(),
                    log == null ? 0 : log.recovery().tornTails());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Tracked.State describe() {
        Stats stats = stats();
        return new Tracked.State(
                name,
                Tracked.State.Kind.QUEUE,
                size(),
                OptionalLong.of(capacity),
                OptionalLong.empty(),
                Map.of(
                        "offered", stats.offered(),
                        "dropped", stats.dropped(),
                        "rejected", stats.rejected(),
                        "spilled", stats.spilled(),
                        "spillBytes", stats.spillBytes()));
    }

    /** Closes the spill files, saving the read position; elements in memory are not persisted. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (spill != null) {
                spill.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "queue '" + name + "': closing the spill log", e);
        } finally {
            lock.unlock();
        }
    }

    /** Settings for a {@link BoundedQueue}, checked as they are set. */
    public static final class Builder<T> {
        private String name = "queue";
        private int capacity = -1;
        private Overflow overflow = Overflow.REJECT;
        private @Nullable Path spillDirectory;
        private @Nullable Codec<T> codec;
        private long spillMaxBytes = 256L << 20;
        private long segmentBytes = 16L << 20;
        private boolean sync;
        private @Nullable ResourceRegistry registry;

        private Builder() {}

        public Builder<T> name(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a queue's name cannot be blank");
            }
            this.name = name;
            return this;
        }

        /** Elements held in memory. */
        public Builder<T> capacity(int capacity) {
            if (capacity < 1 || capacity > 100_000_000) {
                throw new IllegalArgumentException("a queue holds 1 to 100000000 elements in memory, not " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        public Builder<T> overflow(Overflow overflow) {
            this.overflow = overflow;
            return this;
        }

        /** Where SPILL writes, and how elements become bytes. The directory is created owner-only. */
        public Builder<T> spillTo(Path directory, Codec<T> codec) {
            this.spillDirectory = directory;
            this.codec = codec;
            return this;
        }

        /** The most disk the spill may take; default 256 MiB. Beyond it, offers are rejected and counted. */
        public Builder<T> spillMaxBytes(long bytes) {
            if (bytes < 4096) {
                throw new IllegalArgumentException("a spill budget is at least 4096 bytes, not " + bytes);
            }
            this.spillMaxBytes = bytes;
            return this;
        }

        /** Size at which a spill segment is closed and a new one started; default 16 MiB. */
        public Builder<T> segmentBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("a spill segment is at least 1024 bytes, not " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        /** Forces each spilled element to the device before offer returns: survives power loss, costs an fsync. */
        public Builder<T> syncEachWrite(boolean sync) {
            this.sync = sync;
            return this;
        }

        public Builder<T> registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Builds the queue; with SPILL, recovers what the directory holds.
         *
         * @throws UncheckedIOException when the spill directory cannot be opened
         */
        public BoundedQueue<T> build() {
            if (capacity < 0) {
                throw new IllegalStateException("queue '" + name + "' needs a capacity: call capacity(n)");
            }
            BoundedQueue<T> queue = new BoundedQueue<>(this);
            if (registry != null) {
                registry.register(name, queue);
            }
            return queue;
        }
    }

    /** Turns queue elements into bytes and back, for a {@link BoundedQueue} that spills to disk. */
    public interface Codec<T> {
        byte[] encode(T value);

        T decode(byte[] bytes);

        static Codec<String> utf8() {
            return new Codec<>() {
                @Override
                public byte[] encode(String value) {
                    return value.getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public String decode(byte[] bytes) {
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            };
        }

        static Codec<byte[]> bytes() {
            return new Codec<>() {
                @Override
                public byte[] encode(byte[] value) {
                    return value.clone();
                }

                @Override
                public byte[] decode(byte[] bytes) {
                    return bytes;
                }
            };
        }
    }
}
