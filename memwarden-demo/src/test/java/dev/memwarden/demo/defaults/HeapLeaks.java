package dev.memwarden.demo.defaults;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Heap leaks the way services write them: a map of orders nobody evicts, listeners registered per request and never
 * removed, and a per-thread history in a pool's ThreadLocal. Each holds about 600 bytes an item, {@link #PER_SECOND}
 * items a second: a 256 MB heap runs out within minutes.
 */
final class HeapLeaks {
    static final int PER_SECOND = 1_000;

    private HeapLeaks() {}

    /** What each leak keeps: an order with its lines. */
    record Order(long id, String customer, double[] lines) {
        static Order of(long id) {
            return new Order(id, "customer-" + (id % 10_000), new double[64]);
        }
    }

    static double heapShare() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getMax() <= 0 ? Double.NaN : (double) heap.getUsed() / heap.getMax();
    }

    /** A map from order id to order that only grows. */
    static final class OrderMap implements Workload {
        static final Map<Long, Order> ORDERS = new HashMap<>();
        private long added;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            try {
                for (long n = Workload.due(elapsedMillis, PER_SECOND, added); n > 0; n--) {
                    remember(added++);
                }
            } catch (OutOfMemoryError e) {
                ORDERS.clear();
                throw new LimitReached("heap", e);
            }
        }

        private static void remember(long id) {
            ORDERS.put(id, Order.of(id));
        }

        @Override
        public double usedShare() {
            return heapShare();
        }
    }

    /** An event bus whose subscribers, one per request, are never unsubscribed. */
    static final class Listeners implements Workload {
        static final List<Consumer<String>> SUBSCRIBERS = new ArrayList<>();
        private long added;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            try {
                for (long n = Workload.due(elapsedMillis, PER_SECOND, added); n > 0; n--) {
                    subscribe(Order.of(added++));
                }
            } catch (OutOfMemoryError e) {
                SUBSCRIBERS.clear();
                throw new LimitReached("heap", e);
            }
        }

        private static void subscribe(Order order) {
            SUBSCRIBERS.add(event -> order.lines()[0] += event.length());
        }

        @Override
        public double usedShare() {
            return heapShare();
        }
    }

    /** A pool whose threads each keep a history in a ThreadLocal that nobody clears. */
    static final class PooledHistory implements Workload {
        private static final ThreadLocal<List<Order>> HISTORY = ThreadLocal.withInitial(ArrayList::new);
        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private volatile boolean exhausted;
        private volatile @Nullable OutOfMemoryError error;
        private long submitted;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            OutOfMemoryError failed = error;
            if (failed != null) {
                pool.shutdownNow();
                throw new LimitReached("heap", failed);
            }
            long n = Workload.due(elapsedMillis, PER_SECOND, submitted);
            if (n == 0 || exhausted) {
                return;
            }
            long first = submitted;
            submitted += n;
            try {
                pool.execute(() -> record(first, n));
            } catch (RejectedExecutionException e) {
                exhausted = true;
            }
        }

        private void record(long first, long n) {
            try {
                List<Order> history = HISTORY.get();
                for (long id = first; id < first + n; id++) {
                    history.add(Order.of(id));
                }
            } catch (OutOfMemoryError e) {
                HISTORY.remove();
                error = e;
            }
        }

        @Override
        public double usedShare() {
            return heapShare();
        }
    }
}
