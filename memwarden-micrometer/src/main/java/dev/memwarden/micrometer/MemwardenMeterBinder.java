package dev.memwarden.micrometer;

import dev.memwarden.Memwarden;
import dev.memwarden.internal.meters.MemwardenMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * memwarden's meters for any Micrometer registry: the same table the server's {@code /metrics} reads ({@link
 * MemwardenMeters}), so a Prometheus registry shows the same names ({@code memwarden_live_set_bytes}). Every meter has
 * its description and base unit.
 *
 * <pre>{@code
 * MemwardenMeterBinder binder = new MemwardenMeterBinder(memwarden);   // keep it: meters hold it weakly
 * binder.bindTo(registry);
 * }</pre>
 *
 * <h2>How values are read</h2>
 *
 * <p>A scrape reads memwarden once: the first meter read takes a {@link MemwardenMeters.State}, which the others reuse
 * for a second. That read also brings the meters with tags up to date: a pool, a rule or a structure that appeared
 * gets its series, one that is gone loses it (its counters keep their last value). Meters hold the binder weakly, as
 * Micrometer's own binders hold what they measure: once the binder is unreachable they read NaN, and {@link #close}
 * removes them from the registry.
 */
public final class MemwardenMeterBinder implements MeterBinder, AutoCloseable {
    private static final long STATE_MILLIS = 1_000;

    private final Memwarden memwarden;
    /** What the tagged meters hold: rows and function counters keep their object strongly. */
    private final WeakReference<MemwardenMeterBinder> self = new WeakReference<>(this);

    private final List<Registered> registries = new CopyOnWriteArrayList<>();
    private MemwardenMeters.@Nullable State state;
    private long stateAt;
    /** Each meter's series at the last state, by their tag values. */
    private Map<MemwardenMeters.Meter, Map<List<String>, Double>> values = Map.of();
    /** Each counter's last value, kept for when its structure is gone. */
    private final Map<String, Double> lastCounted = new ConcurrentHashMap<>();

    /** The meters registered in one registry, and the tagged ones that follow memwarden's pools, rules, structures. */
    private record Registered(
            MeterRegistry registry,
            List<Meter> meters,
            Map<MemwardenMeters.Meter, MultiGauge> multiGauges,
            Set<String> counters) {}

    public MemwardenMeterBinder(Memwarden memwarden) {
        this.memwarden = memwarden;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Registered registered =
                new Registered(registry, new CopyOnWriteArrayList<>(), new HashMap<>(), ConcurrentHashMap.newKeySet());
        for (MemwardenMeters.Meter meter : MemwardenMeters.ALL) {
            if (!meter.tags().isEmpty()) {
                if (meter.type() == MemwardenMeters.Type.GAUGE) {
                    registered
                            .multiGauges()
                            .put(
                                    meter,
                                    MultiGauge.builder(name(meter))
                                            .description(meter.description())
                                            .baseUnit(meter.unit())
                                            .register(registry));
                }
                continue;
            }
            registered
                    .meters()
                    .add(Gauge.builder(name(meter), this, binder -> binder.value(meter, List.of()))
                            .description(meter.description())
                            .baseUnit(meter.unit())
                            .strongReference(false)
                            .register(registry));
        }
        registries.add(registered);
        refresh();
    }

    /** A series' value at the current state; NaN while it is unknown. */
    private double value(MemwardenMeters.Meter meter, List<String> tags) {
        currentState();
        Double value = values.getOrDefault(meter, Map.of()).get(tags);
        return value == null ? Double.NaN : value;
    }

    private synchronized void currentState() {
        long now = System.currentTimeMillis();
        if (state == null || now - stateAt >= STATE_MILLIS) {
            refresh();
        }
    }

    /** Takes a new state, reads every meter's series at it, and registers the series that appeared. */
    private synchronized void refresh() {
        MemwardenMeters.State now = MemwardenMeters.State.of(memwarden);
        Map<MemwardenMeters.Meter, Map<List<String>, Double>> read = new HashMap<>();
        for (MemwardenMeters.Meter meter : MemwardenMeters.ALL) {
            Map<List<String>, Double> series = new HashMap<>();
            meter.read().accept(now, (value, tags) -> series.put(List.of(tags), value));
            read.put(meter, series);
        }
        values = read;
        state = now;
        stateAt = System.currentTimeMillis();
        for (Registered registered : registries) {
            follow(registered, read);
        }
    }

    private void follow(Registered registered, Map<MemwardenMeters.Meter, Map<List<String>, Double>> read) {
        for (MemwardenMeters.Meter meter : MemwardenMeters.ALL) {
            if (meter.tags().isEmpty()) {
                continue;
            }
            Set<List<String>> series = read.getOrDefault(meter, Map.of()).keySet();
            MultiGauge gauge = registered.multiGauges().get(meter);
            if (gauge != null) {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                for (List<String> tags : series) {
                    rows.add(MultiGauge.Row.of(tags(meter, tags), self, ref -> {
                        MemwardenMeterBinder binder = ref.get();
                        return binder == null ? Double.NaN : binder.value(meter, tags);
                    }));
                }
                gauge.register(rows, true);
                continue;
            }
            for (List<String> tags : series) {
                if (registered.counters().add(meter.name() + tags)) {
                    registered
                            .meters()
                            .add(FunctionCounter.builder(name(meter), self, ref -> {
                                        MemwardenMeterBinder binder = ref.get();
                                        return binder == null ? 0 : binder.counted(meter, tags);
                                    })
                                    .description(meter.description())
                                    .baseUnit(meter.unit())
                                    .tags(tags(meter, tags))
                                    .register(registered.registry()));
                }
            }
        }
    }

    /** A counter's value: its last known one once its structure is gone, as counters never go down. */
    private double counted(MemwardenMeters.Meter meter, List<String> tags) {
        double now = value(meter, tags);
        String key = meter.name() + tags;
        if (Double.isNaN(now)) {
            return lastCounted.getOrDefault(key, 0.0);
        }
        lastCounted.put(key, now);
        return now;
    }

    private static Tags tags(MemwardenMeters.Meter meter, List<String> values) {
        Tags tags = Tags.empty();
        for (int i = 0; i < values.size(); i++) {
            tags = tags.and(meter.tags().get(i), values.get(i));
        }
        return tags;
    }

    /** Micrometer's form of the name: words joined by dots, the unit left to the registry's naming convention. */
    static String name(MemwardenMeters.Meter meter) {
        return meter.name().replace('_', '.');
    }

    /** Removes every meter this binder registered, in every registry it was bound to. */
    @Override
    public void close() {
        for (Registered registered : registries) {
            registered.meters().forEach(registered.registry()::remove);
            registered.multiGauges().values().forEach(gauge -> {
                gauge.register(List.of(), true);
            });
        }
        registries.clear();
    }
}
