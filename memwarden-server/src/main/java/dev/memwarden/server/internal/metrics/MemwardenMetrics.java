package dev.memwarden.server.internal.metrics;

import dev.memwarden.Memwarden;
import dev.memwarden.internal.meters.MemwardenMeters;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * memwarden's meters ({@link MemwardenMeters}) as Prometheus snapshots, read from a running {@link Memwarden} at each
 * scrape. A name gets its unit appended ({@code memwarden_live_set_bytes}), a counter {@code _total} when written.
 */
public final class MemwardenMetrics {
    private final Memwarden memwarden;

    public MemwardenMetrics(Memwarden memwarden) {
        this.memwarden = memwarden;
    }

    public MetricSnapshots collect() {
        MemwardenMeters.State state = MemwardenMeters.State.of(memwarden);
        List<MetricSnapshot> metrics = new ArrayList<>(MemwardenMeters.ALL.size());
        for (MemwardenMeters.Meter meter : MemwardenMeters.ALL) {
            metrics.add(meter.type() == MemwardenMeters.Type.COUNTER ? counter(meter, state) : gauge(meter, state));
        }
        return new MetricSnapshots(metrics);
    }

    private static MetricSnapshot gauge(MemwardenMeters.Meter meter, MemwardenMeters.State state) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().help(meter.description());
        Unit unit = unit(meter);
        if (unit == null) {
            gauge.name(meter.name());
        } else {
            gauge.name(meter.name() + "_" + unit).unit(unit);
        }
        meter.read()
                .accept(
                        state,
                        (value, tags) -> gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .value(value)
                                .labels(labels(meter, tags))
                                .build()));
        return gauge.build();
    }

    private static MetricSnapshot counter(MemwardenMeters.Meter meter, MemwardenMeters.State state) {
        CounterSnapshot.Builder counter =
                CounterSnapshot.builder().name(meter.name()).help(meter.description());
        meter.read()
                .accept(
                        state,
                        (value, tags) -> counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .value(value)
                                .labels(labels(meter, tags))
                                .build()));
        return counter.build();
    }

    private static Labels labels(MemwardenMeters.Meter meter, String[] values) {
        if (values.length == 0) {
            return Labels.EMPTY;
        }
        return Labels.of(meter.tags().toArray(String[]::new), values);
    }

    private static @Nullable Unit unit(MemwardenMeters.Meter meter) {
        String unit = meter.unit();
        if (unit == null) {
            return null;
        }
        return switch (unit) {
            case "bytes" -> Unit.BYTES;
            case "seconds" -> Unit.SECONDS;
            case "ratio" -> Unit.RATIO;
            default -> new Unit(unit);
        };
    }
}
