package dev.memwarden.demo.defaults;

import dev.memwarden.demo.defaults.HeapLeaks.Order;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Live sets that move without leaking, none of them built on memwarden's bounded primitives: a hand-written LRU cache
 * filling after start, a batch loaded for a minute and released, bursts, a large steady live set, and an idle
 * service.
 */
final class HealthyLoads {
    private HealthyLoads() {}

    /**
     * A {@code LinkedHashMap} with {@code removeEldestEntry} holding 100,000 orders (about 65 MB), read 2,000 times a
     * second over 300,000 keys: it fills within about 75 s of start, then evicts as fast as it loads.
     */
    static final class LruCache implements Workload {
        static final int ENTRIES = 100_000;
        private final Map<Long, Order> cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Order> eldest) {
                return size() > ENTRIES;
            }
        };
        private long reads;

        @Override
        public void step(long elapsedMillis) {
            for (long n = Workload.due(elapsedMillis, 2_000, reads); n > 0; n--, reads++) {
                long key = ThreadLocalRandom.current().nextLong(3L * ENTRIES);
                cache.computeIfAbsent(key, Order::of);
            }
        }

        @Override
        public double usedShare() {
            return Double.NaN;
        }
    }

    /** 120,000 orders (about 80 MB) loaded over a minute from 90 s on, held 30 s, released; again 5 minutes later. */
    static final class Batch implements Workload {
        static final long EVERY_MILLIS = 300_000;
        private final List<Order> batch = new ArrayList<>();

        @Override
        public void step(long elapsedMillis) {
            long phase = (elapsedMillis - 90_000) % EVERY_MILLIS;
            if (elapsedMillis < 90_000 || phase >= 90_000) {
                batch.clear();
                return;
            }
            long wanted = Math.min(120_000, phase * 2);
            while (batch.size() < wanted) {
                batch.add(Order.of(batch.size()));
            }
        }

        @Override
        public double usedShare() {
            return Double.NaN;
        }
    }

    /** Every 30 s, a burst that holds 75,000 orders (about 50 MB) for 10 s. */
    static final class Bursts implements Workload {
        private final List<Order> inFlight = new ArrayList<>();

        @Override
        public void step(long elapsedMillis) {
            if (elapsedMillis % 30_000 >= 10_000) {
                inFlight.clear();
                return;
            }
            while (inFlight.size() < 75_000) {
                inFlight.add(Order.of(inFlight.size()));
            }
        }

        @Override
        public double usedShare() {
            return Double.NaN;
        }
    }

    /** 180,000 orders (about 120 MB) loaded in the first 20 s, then 1,000 a second replaced by new ones. */
    static final class SteadyLargeLiveSet implements Workload {
        static final int ORDERS = 180_000;
        private final Order[] orders = new Order[ORDERS];
        private int loaded;
        private long replaced;

        @Override
        public void step(long elapsedMillis) {
            int wanted = (int) Math.min(ORDERS, elapsedMillis * ORDERS / 20_000);
            while (loaded < wanted) {
                orders[loaded] = Order.of(loaded);
                loaded++;
            }
            if (loaded == ORDERS) {
                for (long n = Workload.due(elapsedMillis, 1_000, replaced); n > 0; n--, replaced++) {
                    int i = ThreadLocalRandom.current().nextInt(ORDERS);
                    orders[i] = Order.of(i);
                }
            }
        }

        @Override
        public double usedShare() {
            return Double.NaN;
        }
    }

    /** Nothing but the service's requests. */
    static final class Idle implements Workload {
        @Override
        public void step(long elapsedMillis) {}

        @Override
        public double usedShare() {
            return Double.NaN;
        }
    }
}
