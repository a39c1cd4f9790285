package dev.memwarden.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.memwarden.bounded.BoundedQueue;
import dev.memwarden.bounded.Caches;
import dev.memwarden.bounded.ClientRegistry;
import dev.memwarden.bounded.LeakTracker;
import dev.memwarden.bounded.ListenerRegistry;
import dev.memwarden.bounded.RingBuffer;
import dev.memwarden.bounded.TrackedScheduler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Each bounded primitive against the plain JDK or Caffeine structure a team would otherwise use, one operation
 * each, single-threaded, so the cost of bounding and tracking shows as the difference between the pair:
 * {@code xxx_memwarden} against {@code xxx_plain}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PrimitivesBenchmark {
    /** A constant, as delays in services are; building a Duration per call is not what is measured. */
    private static final Duration AN_HOUR = Duration.ofHours(1);

    private static final int CAPACITY = 1024;
    private static final Object ELEMENT = new Object();

    private RingBuffer<Object> ring;
    private final ArrayDeque<Object> plainRing = new ArrayDeque<>(CAPACITY);

    private BoundedQueue<Object> queue;
    private ArrayBlockingQueue<Object> plainQueue;

    private Cache<Integer, String> cache;
    private Cache<Integer, String> plainCache;

    private ClientRegistry<Object> clients;
    private final LinkedHashMap<Long, PlainClient> plainClients = new LinkedHashMap<>();

    /** What a hand-written client list keeps: the client and when it connected, for an idle timeout. */
    private record PlainClient(Object client, long connectedAt) {}

    private long nextClient;

    private ListenerRegistry<IntConsumer> listeners;
    private final PlainListeners<IntConsumer> plainListeners = new PlainListeners<>();
    private IntConsumer oneMore;

    /**
     * The registry a team writes by hand, with the same calls as {@link ListenerRegistry}, so that the pair differs
     * in what memwarden adds (counts, the warning, rate-limited failure logs), not in the shape of the call: a loop
     * written out at the benchmark's call site is inlined whole, where a {@code fire} method that logs a failing
     * listener, as any registry must, is not.
     */
    private static final class PlainListeners<L> {
        private static final System.Logger LOG = System.getLogger(PlainListeners.class.getName());
        private final Map<String, CopyOnWriteArrayList<L>> byEvent = new ConcurrentHashMap<>();

        void add(String event, L listener) {
            byEvent.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(listener);
        }

        boolean remove(String event, L listener) {
            CopyOnWriteArrayList<L> listeners = byEvent.get(event);
            return listeners != null && listeners.remove(listener);
        }

        int fire(String event, Consumer<? super L> action) {
            CopyOnWriteArrayList<L> listeners = byEvent.get(event);
            if (listeners == null) {
                return 0;
            }
            int failed = 0;
            for (L listener : listeners) {
                try {
                    action.accept(listener);
                } catch (RuntimeException e) {
                    failed++;
                    LOG.log(System.Logger.Level.WARNING, "a listener of '" + event + "' failed", e);
                }
            }
            return failed;
        }
    }

    private ScheduledThreadPoolExecutor executor;
    private TrackedScheduler scheduler;
    private final Set<ScheduledFuture<?>> pendingTimers = ConcurrentHashMap.newKeySet();

    private LeakTracker<FileChannel> tracker;
    private static final Path DEV_NULL = Path.of("/dev/null");

    @Setup(Level.Trial)
    public void setUp() {
        ring = RingBuffer.builder().capacity(CAPACITY).build();
        queue = BoundedQueue.builder()
                .capacity(CAPACITY)
                .overflow(BoundedQueue.Overflow.REJECT)
                .build();
        plainQueue = new ArrayBlockingQueue<>(CAPACITY);
        for (int i = 0; i < CAPACITY / 2; i++) {
            queue.offer(ELEMENT);
            plainQueue.offer(ELEMENT);
        }
        cache = Caches.<Integer, String>builder("bench").maximumEntries(10_000).build();
        plainCache = Caffeine.newBuilder().maximumSize(10_000).build();
        clients = ClientRegistry.builder().maxClients(CAPACITY).build((c, r) -> {});
        listeners = ListenerRegistry.builder().maxListeners(100).build();
        for (int i = 0; i < 10; i++) {
            IntConsumer listener = v -> {};
            listeners.add("event", listener);
            plainListeners.add("event", listener);
        }
        oneMore = v -> {};
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        // A timer due first, as a service always has one: otherwise every new timer would head the queue and wake
        // the executor's thread, and the benchmark would measure that hand-off instead of scheduling.
        var unused = executor.schedule(() -> {}, 30, TimeUnit.MINUTES);
        scheduler =
                TrackedScheduler.builder(executor).warnAbove(Integer.MAX_VALUE).build();
        tracker = LeakTracker.builder().level(LeakTracker.Level.SAMPLED).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public Object ringBuffer_memwarden() {
        return ring.add(ELEMENT);
    }

    @Benchmark
    public Object ringBuffer_plain() {
        synchronized (plainRing) {
            Object evicted = plainRing.size() == CAPACITY ? plainRing.pollFirst() : null;
            plainRing.addLast(ELEMENT);
            return evicted == null ? ELEMENT : evicted;
        }
    }

    @Benchmark
    public Object boundedQueue_memwarden() {
        queue.offer(ELEMENT);
        return queue.poll();
    }

    @Benchmark
    public Object boundedQueue_plain() {
        plainQueue.offer(ELEMENT);
        return plainQueue.poll();
    }

    @Benchmark
    public String cache_memwarden() {
        int key = ThreadLocalRandom.current().nextInt(12_500);
        return cache.get(key, String::valueOf);
    }

    @Benchmark
    public String cache_plain() {
        int key = ThreadLocalRandom.current().nextInt(12_500);
        return plainCache.get(key, String::valueOf);
    }

    @Benchmark
    public boolean clientRegistry_memwarden() {
        return clients.remove(clients.admit(ELEMENT).id());
    }

    @Benchmark
    public boolean clientRegistry_plain() {
        synchronized (plainClients) {
            if (plainClients.size() >= CAPACITY) {
                return false;
            }
            long id = nextClient++;
            plainClients.put(id, new PlainClient(ELEMENT, System.currentTimeMillis()));
            return plainClients.remove(id) != null;
        }
    }

    @Benchmark
    public int listenerFire_memwarden() {
        return listeners.fire("event", l -> l.accept(1));
    }

    @Benchmark
    public int listenerFire_plain() {
        return plainListeners.fire("event", l -> l.accept(1));
    }

    /** Adding a listener to an event with ten and removing it again: the subscribe and unsubscribe of a call. */
    @Benchmark
    public void listenerAddRemove_memwarden() throws Exception {
        listeners.add("event", oneMore).close();
    }

    @Benchmark
    public boolean listenerAddRemove_plain() {
        plainListeners.add("event", oneMore);
        return plainListeners.remove("event", oneMore);
    }

    @Benchmark
    public boolean timer_memwarden() {
        return scheduler.schedule("timer", () -> {}, AN_HOUR).cancel(false);
    }

    @Benchmark
    public boolean timer_plain() {
        ScheduledFuture<?> future = executor.schedule(() -> {}, 1, TimeUnit.HOURS);
        return future.cancel(false);
    }

    /** What teams write by hand to cancel every timer at shutdown: a concurrent set of the pending futures. */
    @Benchmark
    public boolean timer_plainWithSet() {
        ScheduledFuture<?> future = executor.schedule(() -> {}, 1, TimeUnit.HOURS);
        pendingTimers.add(future);
        boolean cancelled = future.cancel(false);
        pendingTimers.remove(future);
        return cancelled;
    }

    /** Opening and closing a real resource, a file channel, as connections and streams are. */
    @Benchmark
    public void leakTracker_memwarden() throws IOException {
        FileChannel channel = FileChannel.open(DEV_NULL, StandardOpenOption.READ);
        LeakTracker.Handle handle = tracker.track(channel);
        channel.close();
        handle.close();
    }

    @Benchmark
    public void leakTracker_plain() throws IOException {
        FileChannel channel = FileChannel.open(DEV_NULL, StandardOpenOption.READ);
        channel.close();
    }
}
