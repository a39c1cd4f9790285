package dev.memwarden.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.Memwarden;
import dev.memwarden.bounded.BoundedQueue;
import dev.memwarden.internal.meters.MemwardenMeters;
import dev.memwarden.server.internal.http.Request;
import dev.memwarden.server.internal.metrics.MemwardenMetrics;
import dev.memwarden.server.internal.metrics.MetricsEndpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The binder against real registries: the server's names, descriptions and units, weak gauges, a clean close. */
class MemwardenMeterBinderTest {
    private static final Pattern FAMILY = Pattern.compile("^# TYPE (memwarden_\\w+) (\\w+)$", Pattern.MULTILINE);

    static Memwarden memwarden;

    @BeforeAll
    static void start() {
        memwarden = Memwarden.builder().start();
    }

    @AfterAll
    static void stop() {
        memwarden.close();
    }

    @Test
    void aPrometheusRegistryShowsTheServersMetricFamilies() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (BoundedQueue<String> queue = BoundedQueue.<String>builder()
                        .name("binder-test-queue")
                        .capacity(1)
                        .overflow(BoundedQueue.Overflow.DROP_OLDEST)
                        .registry(memwarden.resources())
                        .build();
                MemwardenMeterBinder binder = new MemwardenMeterBinder(memwarden)) {
            queue.offer("a");
            queue.offer("b");
            // Micrometer lists a gauge whose value is unknown (NaN); /metrics leaves it out: compare once all are
            // known.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (memwarden.snapshot().liveSet().isEmpty() && System.nanoTime() < deadline) {
                System.gc();
            }
            assertThat(memwarden.snapshot().liveSet())
                    .as("the live set after a collection")
                    .isPresent();
            binder.bindTo(registry);
            String server = new MetricsEndpoint(new MemwardenMetrics(memwarden))
                    .scrape(Request.of("GET", "/metrics", Map.of(), Map.of()))
                    .bodyText();
            registry.scrape(); // the first scrape reads memwarden and brings the tagged meters up
            String micrometer = registry.scrape();

            assertThat(families(micrometer)).isEqualTo(families(server));
            assertThat(micrometer)
                    .contains("memwarden_structure_size{name=\"binder-test-queue\"} 1.0")
                    .contains("memwarden_structure_events_total{event=\"dropped\",name=\"binder-test-queue\"} 1.0");
        }
    }

    @Test
    void everyMeterHasItsDescriptionAndUnit() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MemwardenMeterBinder binder = new MemwardenMeterBinder(memwarden)) {
            binder.bindTo(registry);
            for (MemwardenMeters.Meter definition : MemwardenMeters.ALL) {
                for (Meter meter :
                        registry.find(MemwardenMeterBinder.name(definition)).meters()) {
                    assertThat(meter.getId().getDescription()).isEqualTo(definition.description());
                    assertThat(meter.getId().getBaseUnit()).isEqualTo(definition.unit());
                }
            }
            assertThat(registry.getMeters()).hasSizeGreaterThan(20);
        }
    }

    @Test
    void closeRemovesEveryMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MemwardenMeterBinder binder = new MemwardenMeterBinder(memwarden);
        binder.bindTo(registry);
        assertThat(registry.find("memwarden.heap.used").gauge()).isNotNull();

        binder.close();

        assertThat(registry.getMeters())
                .noneMatch(m -> m.getId().getName().startsWith("memwarden.")
                        && !(m instanceof io.micrometer.core.instrument.MultiGauge));
    }

    @Test
    void gaugesHoldTheBinderWeakly() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MemwardenMeterBinder(memwarden).bindTo(registry); // not kept
        Gauge heap = registry.find("memwarden.heap.used").gauge();
        assertThat(heap).isNotNull();

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Double.isNaN(heap.value()) && System.nanoTime() < deadline) {
            System.gc();
        }

        assertThat(heap.value()).as("a gauge whose binder is gone").isNaN();
    }

    private static Set<String> families(String exposition) {
        Set<String> families = new TreeSet<>();
        Matcher m = FAMILY.matcher(exposition);
        while (m.find()) {
            families.add(m.group(1) + " " + m.group(2));
        }
        return families;
    }
}
