package dev.memwarden.internal.telemetry;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import dev.memwarden.internal.GcAlgorithm;
import dev.memwarden.telemetry.GcEvent;
import dev.memwarden.telemetry.Metric;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;

/**
 * Listens to GC notifications and derives what the heap's raw usage cannot tell: the live set after GC, the
 * allocation rate and the share of wall time spent in GC pauses.
 *
 * <p>The live set is the old generation and the survivor spaces after each collection for generational collectors
 * (G1, Parallel, Serial), with eden where the collection emptied it only in part (a full collection of a nearly full
 * heap), and the whole heap after each concurrent cycle for the others (ZGC, Shenandoah), whose pause
 * notifications report usage in mid-cycle. Allocation is counted as heap growth between observations (GC
 * notifications and samples), so it does not depend on how often the collector runs.
 *
 * <p>Notifications arrive on a JDK thread and samples on the sampler's; the state is guarded by this monitor's
 * lock and every structure is fixed in size: {@code capacity} events and 64 per-second checkpoints.
 */
public final class GcMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GcMonitor.class.getName());
    private static final long WINDOW_MILLIS = 60_000;
    private static final int CHECKPOINTS = 64;

    private final List<NotificationEmitter> emitters;
    private final Set<String> heapPools;
    private final @Nullable String oldPool;
    private final boolean wholeHeapCollector;
    private final InstantSource clock;
    private final long jvmStartMillis;
    private final NotificationListener listener = this::handle;

    private final GcEvent[] events;
    private long eventCount;

    private double liveSet = Double.NaN;
    private long lastHeapSeen = -1;
    private long allocatedTotal;
    private long pauseMillisTotal;
    private final long[] checkpointTime = new long[CHECKPOINTS];
    private final long[] checkpointAllocated = new long[CHECKPOINTS];
    private final long[] checkpointPause = new long[CHECKPOINTS];
    private int checkpointHead;
    private int checkpointSize;

    GcMonitor(
            List<GarbageCollectorMXBean> collectors,
            List<MemoryPoolMXBean> pools,
            int capacity,
            InstantSource clock,
            long jvmStartMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("GC event capacity must be at least 1, not " + capacity);
        }
        this.events = new GcEvent[capacity];
        this.clock = clock;
        this.jvmStartMillis = jvmStartMillis;
        this.heapPools = pools.stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.wholeHeapCollector = collectors.stream()
                .map(GarbageCollectorMXBean::getName)
                .anyMatch(n -> GcAlgorithm.ofBean(n)
                        .map(GcAlgorithm::collectsTheWholeHeap)
                        .orElse(false));
        this.oldPool = wholeHeapCollector
                ? null
                : heapPools.stream()
                        .filter(n -> n.contains("Old Gen") || n.contains("Tenured"))
                        .findFirst()
                        .orElse(null);
        addCheckpoint(clock.millis());
        List<NotificationEmitter> registered = new ArrayList<>();
        for (GarbageCollectorMXBean bean : collectors) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, GcMonitor::isGcNotification, null);
                registered.add(emitter);
            }
        }
        this.emitters = List.copyOf(registered);
    }

    /** Starts listening to this JVM's collectors. */
    public static GcMonitor start(int capacity, InstantSource clock) {
        return new GcMonitor(
                ManagementFactory.getGarbageCollectorMXBeans(),
                ManagementFactory.getMemoryPoolMXBeans(),
                capacity,
                clock,
                ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    private static boolean isGcNotification(Notification n) {
        return GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType());
    }

    private void handle(Notification notification, @Nullable Object handback) {
        try {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            record(toEvent(info));
        } catch (RuntimeException e) {
            // A JDK thread delivers notifications; an exception here would only be swallowed by the JDK.
            LOG.log(System.Logger.Level.WARNING, "memwarden could not read a GC notification", e);
        }
    }

    private GcEvent toEvent(GarbageCollectionNotificationInfo info) {
        GcInfo gc = info.getGcInfo();
        Map<String, MemoryUsage> before = gc.getMemoryUsageBeforeGc();
        Map<String, MemoryUsage> after = gc.getMemoryUsageAfterGc();
        List<GcEvent.PoolChange> changes = new ArrayList<>(heapPools.size());
        long heapBefore = 0;
        long heapAfter = 0;
        for (Map.Entry<String, MemoryUsage> entry : after.entrySet()) {
            if (!heapPools.contains(entry.getKey())) {
                continue;
            }
            MemoryUsage b = before.get(entry.getKey());
            long usedBefore = b == null ? 0 : b.getUsed();
            long usedAfter = entry.getValue().getUsed();
            changes.add(new GcEvent.PoolChange(entry.getKey(), usedBefore, usedAfter));
            heapBefore += usedBefore;
            heapAfter += usedAfter;
        }
        String name = info.getGcName();
        return new GcEvent(
                gc.getId(),
                name,
                generation(name, info.getGcAction()),
                !name.endsWith("Cycles"),
                info.getGcAction(),
                info.getGcCause(),
                Instant.ofEpochMilli(jvmStartMillis + gc.getStartTime()),
                Duration.ofMillis(gc.getDuration()),
                changes,
                heapBefore,
                heapAfter);
    }

    static GcEvent.Generation generation(String collector, String action) {
        if (action.contains("minor")) {
            return GcEvent.Generation.MINOR;
        }
        if (action.contains("major")) {
            return GcEvent.Generation.MAJOR;
        }
        return GcAlgorithm.youngOnly(collector) ? GcEvent.Generation.MINOR : GcEvent.Generation.MAJOR;
    }

    /** Takes one event into account; notifications come here, and tests may feed events directly. */
    synchronized void record(GcEvent event) {
        events[(int) (eventCount % events.length)] = event;
        eventCount++;
        if (lastHeapSeen >= 0 && event.heapBefore() > lastHeapSeen) {
            allocatedTotal += event.heapBefore() - lastHeapSeen;
        }
        lastHeapSeen = event.heapAfter();
        if (event.pause()) {
            pauseMillisTotal += event.duration().toMillis();
        }
        if (wholeHeapCollector) {
            if (!event.pause()) {
                liveSet = event.heapAfter();
            }
        } else if (oldPool != null) {
            // Old generation and survivors: what was still reachable and copied is in the survivors until it is
            // promoted, which can take many collections; a leak that fills them would be invisible in the old
            // generation alone. Eden counts only where the pause collected it: a pause that does not (G1 Remark)
            // leaves it as it was, garbage and all, while a full collection of a nearly full heap (Parallel) leaves
            // in eden the live objects the old generation had no room for. Without them, the live set of a leak
            // about to exhaust the heap stood still at the old generation's size.
            double kept = 0;
            for (GcEvent.PoolChange change : event.pools()) {
                boolean collected = change.usedAfter() < change.usedBefore();
                if (!change.pool().contains("Eden") || collected) {
                    kept += change.usedAfter();
                }
            }
            liveSet = kept;
        } else {
            liveSet = event.heapAfter();
        }
    }

    /** Called on every sample with the heap in use, so allocation between collections is counted too. */
    synchronized void observe(long nowMillis, long heapUsed) {
        if (lastHeapSeen >= 0 && heapUsed > lastHeapSeen) {
            allocatedTotal += heapUsed - lastHeapSeen;
        }
        lastHeapSeen = heapUsed;
        if (checkpointSize == 0 || nowMillis - newestCheckpointTime() >= 1000) {
            addCheckpoint(nowMillis);
        }
    }

    /** Writes the derived metrics; called by the sampler after {@link #observe}. */
    synchronized void writeTo(SampleBuffer into, long nowMillis) {
        into.set(Metric.LIVE_SET, liveSet);
        into.set(Metric.GC_OVERHEAD, overheadAt(nowMillis));
        into.set(Metric.ALLOCATION_RATE, allocationRateAt(nowMillis));
    }

    /** The live set after the last GC; empty until the first collection. */
    public synchronized OptionalLong liveSet() {
        return Double.isNaN(liveSet) ? OptionalLong.empty() : OptionalLong.of((long) liveSet);
    }

    /** Share of wall time in GC pauses over the last minute (or since start, if shorter). */
    public synchronized double overhead() {
        return overheadAt(clock.millis());
    }

    /** Bytes allocated per second over the last minute (or since start, if shorter). */
    public synchronized double allocationRate() {
        return allocationRateAt(clock.millis());
    }

    private double overheadAt(long nowMillis) {
        int base = windowBase(nowMillis);
        return Math.min(1.0, (pauseMillisTotal - checkpointPause[base]) / (double) windowSpan(base, nowMillis));
    }

    private double allocationRateAt(long nowMillis) {
        int base = windowBase(nowMillis);
        return (allocatedTotal - checkpointAllocated[base]) * 1000.0 / windowSpan(base, nowMillis);
    }

    private long windowSpan(int base, long nowMillis) {
        return Math.max(1, nowMillis - checkpointTime[base]);
    }

    /** The most recent events, oldest first, at most {@code capacity}. */
    public synchronized List<GcEvent> events() {
        int size = (int) Math.min(eventCount, events.length);
        List<GcEvent> list = new ArrayList<>(size);
        for (long i = eventCount - size; i < eventCount; i++) {
            GcEvent event = events[(int) (i % events.length)];
            if (event != null) {
                list.add(event);
            }
        }
        return list;
    }

    /** Events seen since start, including those no longer kept. */
    public synchronized long eventCount() {
        return eventCount;
    }

    /** All GC pause time since this monitor started, in milliseconds. */
    public synchronized long pauseMillisTotal() {
        return pauseMillisTotal;
    }

    public int capacity() {
        return events.length;
    }

    /** Whether the live set is taken over the whole heap (ZGC, Shenandoah) rather than the old generation. */
    public boolean measuresWholeHeap() {
        return wholeHeapCollector || oldPool == null;
    }

    /** The checkpoint the minute-window starts at: the newest one at least a minute old, else the oldest. */
    private int windowBase(long nowMillis) {
        int oldest = (checkpointHead - checkpointSize + CHECKPOINTS) % CHECKPOINTS;
        int chosen = oldest;
        for (int k = 0; k < checkpointSize; k++) {
            int i = (oldest + k) % CHECKPOINTS;
            if (checkpointTime[i] <= nowMillis - WINDOW_MILLIS) {
                chosen = i;
            } else {
                break;
            }
        }
        return chosen;
    }

    private long newestCheckpointTime() {
        return checkpointTime[(checkpointHead - 1 + CHECKPOINTS) % CHECKPOINTS];
    }

    private void addCheckpoint(long nowMillis) {
        checkpointTime[checkpointHead] = nowMillis;
        checkpointAllocated[checkpointHead] = allocatedTotal;
        checkpointPause[checkpointHead] = pauseMillisTotal;
        checkpointHead = (checkpointHead + 1) % CHECKPOINTS;
        checkpointSize = Math.min(CHECKPOINTS, checkpointSize + 1);
    }

    /** Stops listening; removes the listener from every collector it was added to. */
    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException alreadyRemoved) {
                // close() twice: nothing left to remove.
            }
        }
    }
}
