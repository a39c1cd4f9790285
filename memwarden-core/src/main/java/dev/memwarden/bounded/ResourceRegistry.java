package dev.memwarden.bounded;

import dev.memwarden.internal.telemetry.TieredSeries;
import dev.memwarden.telemetry.Timeline;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The structures memwarden watches: its own bounded primitives and the user's unbounded ones, each sampled into a
 * fixed-memory history so the leak detector can tell which one grows.
 *
 * <p>The registry never keeps anything alive: it holds each resource through a {@link WeakReference}, and a slot
 * whose resource was collected is cleared and reused on the next {@link #sample}. It holds at most
 * {@code maxResources}; registering more is refused with an exception that says so, since silently not watching
 * would hide the very growth it exists to show.
 *
 * <p>Thread-safe. {@link #sample} runs on the sampler thread and calls each resource's {@link Tracked#describe()}.
 */
public final class ResourceRegistry {
    private final int maxResources;
    private final TieredSeries history;
    private final @Nullable Slot[] slots;
    private final double[] row;

    private ResourceRegistry(List<Timeline.Tier> tiers, int maxResources) {
        if (maxResources < 1 || maxResources > 4096) {
            throw new IllegalArgumentException("a resource registry holds 1 to 4096 resources, not " + maxResources);
        }
        this.maxResources = maxResources;
        this.history = new TieredSeries(tiers, maxResources);
        this.slots = new Slot[maxResources];
        this.row = new double[maxResources];
    }

    public static ResourceRegistry create(List<Timeline.Tier> tiers, int maxResources) {
        return new ResourceRegistry(tiers, maxResources);
    }

    /** Bytes the history takes for these settings; known before the registry exists. */
    public static long footprintBytes(List<Timeline.Tier> tiers, int maxResources) {
        return TieredSeries.footprintBytes(tiers, maxResources) + 32L * maxResources;
    }

    public int maxResources() {
        return maxResources;
    }

    /**
     * Watches a resource for as long as it is reachable elsewhere. Returns it, for chaining in builders.
     *
     * @throws IllegalStateException when the registry is full or the name is taken by a live resource
     */
    public <T extends Tracked> T register(String name, T resource) {
        add(name, resource, owner -> ((Tracked) owner).describe());
        return resource;
    }

    /** Watches a map's size, for as long as the map is reachable elsewhere. */
    public void watch(String name, Map<?, ?> map) {
        add(name, map, owner -> watched(name, ((Map<?, ?>) owner).size()));
    }

    /** Watches a collection's size, for as long as the collection is reachable elsewhere. */
    public void watch(String name, Collection<?> collection) {
        add(name, collection, owner -> watched(name, ((Collection<?>) owner).size()));
    }

    /**
     * Watches any object for as long as it is reachable elsewhere, described by a function. The function must not
     * capture {@code owner} (it receives it instead), or the registry would keep it alive.
     */
    public <O> void watch(String name, O owner, Function<? super O, Tracked.State> describe) {
        add(name, owner, o -> {
            @SuppressWarnings("unchecked") // add() hands back the owner it was given
            O typed = (O) o;
            return describe.apply(typed);
        });
    }

    /**
     * Watches a size that a function reports. A lambda usually captures the structure it measures, so the
     * registry cannot hold it strongly: the watch lasts as long as the returned handle is kept.
     */
    public Registration watch(String name, LongSupplier size) {
        Registration registration = new Registration(() -> watched(name, size.getAsLong()));
        add(name, registration, owner -> ((Registration) owner).tracked().describe());
        return registration;
    }

    private static Tracked.State watched(String name, long size) {
        return new Tracked.State(
                name, Tracked.State.Kind.WATCHED, size, OptionalLong.empty(), OptionalLong.empty(), Map.of());
    }

    /**
     * @param owner what the watch lives as long as; held weakly
     * @param describe reads the owner; must not capture it, or the registry would keep it alive
     */
    private synchronized void add(String name, Object owner, Function<Object, Tracked.State> describe) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a watched resource needs a name");
        }
        int free = -1;
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            if (slot != null && slot.live() && slot.name().equals(name)) {
                throw new IllegalStateException("a resource named '" + name + "' is already watched");
            }
            if (free < 0 && (slot == null || !slot.live())) {
                free = i;
            }
        }
        if (free < 0) {
            throw new IllegalStateException("the resource registry is full (" + maxResources
                    + " resources); raise memwarden.resources.max or close some");
        }
        if (slots[free] != null) {
            history.clear(free);
        }
        slots[free] = new Slot(name, new WeakReference<>(owner), describe);
    }

    /** The resources alive now, in registration slot order. */
    public synchronized List<Tracked.State> resources() {
        List<Tracked.State> list = new ArrayList<>();
        for (Slot slot : slots) {
            Tracked.State resource = slot == null ? null : slot.describeNow();
            if (resource != null) {
                list.add(resource);
            }
        }
        return list;
    }

    public synchronized Optional<Tracked.State> resource(String name) {
        for (Slot slot : slots) {
            if (slot != null && slot.name().equals(name)) {
                Tracked.State resource = slot.describeNow();
                if (resource != null) {
                    return Optional.of(resource);
                }
            }
        }
        return Optional.empty();
    }

    /** Records every live resource's size at {@code epochMillis}; frees the slots of collected ones. */
    public synchronized void sample(long epochMillis) {
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            Tracked.State resource = slot == null ? null : slot.describeNow();
            row[i] = resource == null ? Double.NaN : resource.size();
        }
        history.record(epochMillis, row);
    }

    /** A resource's size history between two instants, from the finest tier that reaches back far enough. */
    public synchronized Optional<List<Timeline.Series.Point>> history(String name, Instant from, Instant to) {
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            if (slot != null && slot.live() && slot.name().equals(name)) {
                return Optional.of(history.points(i, from.toEpochMilli(), to.toEpochMilli()));
            }
        }
        return Optional.empty();
    }

    /** Resources currently registered and alive. */
    public synchronized int size() {
        int live = 0;
        for (Slot slot : slots) {
            if (slot != null && slot.live()) {
                live++;
            }
        }
        return live;
    }

    private record Slot(String name, WeakReference<Object> owner, Function<Object, Tracked.State> describe) {
        boolean live() {
            Object o = owner.get();
            return o != null && !(o instanceof Registration r && r.isClosed());
        }

        Tracked.@Nullable State describeNow() {
            Object o = owner.get();
            if (o == null || (o instanceof Registration r && r.isClosed())) {
                return null;
            }
            return describe.apply(o);
        }
    }

    /**
     * The handle of something put under watch in a {@link ResourceRegistry}. The registry holds it weakly: the watch
     * lasts as long as the caller keeps this handle (typically in a field next to the structure watched), or until
     * {@link #close()}.
     */
    public static final class Registration implements AutoCloseable {
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
}
