package dev.memwarden.bounded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A fixed number of the most recent elements: adding to a full buffer overwrites the oldest. The fix for the
 * metrics array that grows by one entry per request; Python's {@code deque(maxlen=n)}.
 *
 * <p>Thread-safe; every operation holds one lock briefly.
 */
public final class RingBuffer<T> implements Tracked {
    private final String name;
    private final @Nullable Object[] items;
    private int head;
    private int size;
    private long added;
    private long overwritten;

    private RingBuffer(String name, int capacity) {
        this.name = name;
        this.items = new Object[capacity];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds an element; returns the one it overwrote, or null while there was room. */
    @SuppressWarnings("unchecked") // Only Ts are stored.
    public synchronized @Nullable T add(T item) {
        added++;
        int tail = (head + size) % items.length;
        if (size < items.length) {
            items[tail] = item;
            size++;
            return null;
        }
        T oldest = (T) items[head];
        items[head] = item;
        head = (head + 1) % items.length;
        overwritten++;
        return oldest;
    }

    /** The elements, oldest first. */
    @SuppressWarnings("unchecked")
    public synchronized List<T> snapshot() {
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add((T) items[(head + i) % items.length]);
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    public synchronized @Nullable T newest() {
        return size == 0 ? null : (T) items[(head + size - 1) % items.length];
    }

    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return items.length;
    }

    /** Elements overwritten since creation. */
    public synchronized long overwritten() {
        return overwritten;
    }

    public synchronized void clear() {
        java.util.Arrays.fill(items, null);
        head = 0;
        size = 0;
    }

    @Override
    public synchronized Tracked.State describe() {
        return new Tracked.State(
                name,
                Tracked.State.Kind.RING_BUFFER,
                size,
                OptionalLong.of(items.length),
                OptionalLong.empty(),
                Map.of("added", added, "overwritten", overwritten));
    }

    /** Settings for a {@link RingBuffer}. */
    public static final class Builder {
        private String name = "ring-buffer";
        private int capacity = -1;
        private @Nullable ResourceRegistry registry;

        private Builder() {}

        public Builder name(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a ring buffer's name cannot be blank");
            }
            this.name = name;
            return this;
        }

        public Builder capacity(int capacity) {
            if (capacity < 1 || capacity > 100_000_000) {
                throw new IllegalArgumentException("a ring buffer holds 1 to 100000000 elements, not " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** Registers the buffer under its name, so its size is sampled. */
        public Builder registry(ResourceRegistry registry) {
            this.registry = registry;
            return this;
        }

        public <T> RingBuffer<T> build() {
            if (capacity < 0) {
                throw new IllegalStateException("a ring buffer needs a capacity: call capacity(n)");
            }
            RingBuffer<T> buffer = new RingBuffer<>(name, capacity);
            if (registry != null) {
                registry.register(name, buffer);
            }
            return buffer;
        }
    }
}
