package dev.memwarden.demo;

import com.github.benmanes.caffeine.cache.Cache;
import dev.memwarden.Memwarden;
import dev.memwarden.bounded.Caches;
import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Live sets that move without leaking, in a JVM with memwarden embedded as the demo configures it: a cache warming
 * up to its bound, a sawtooth of large temporaries, and a batch that grows for a while and is released. Each
 * prints one line per leak check and the final report as JSON; any verdict but NONE is a false alarm.
 * HealthyShapesIT runs them; by hand:
 *
 * <pre>java -Xmx128m -cp memwarden-demo/target/memwarden-demo.jar dev.memwarden.demo.HealthyShapes sawtooth 90</pre>
 */
public final class HealthyShapes {
    private static final int MIB = 1 << 20;

    /** After start-up, which the detector sets aside anyway: these shapes must be judged, not excused. */
    static final Duration SHAPE_STARTS = Duration.ofSeconds(40);

    /** The shapes, by their command-line names. */
    public enum Shape {
        /** A cache bounded at 24 MiB, read at random keys over 60 MiB of values, filling up in about 20 s. */
        CACHE_WARMUP,
        /** A 4 MiB temporary every 2.5 s, all dropped every 15 s: the post-GC floor saw-tooths by 24 MiB. */
        SAWTOOTH,
        /** A batch that grows by 1.5 MiB/s for 16 s, is held for 10 s and then released. */
        GROW_AND_RELEASE;

        /** The name on the command line: {@code cache-warmup} for {@link #CACHE_WARMUP}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Shape parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private final Shape shape;
    private final Cache<Integer, byte[]> cache;
    private final List<byte[]> held = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);

    private HealthyShapes(Shape shape, Memwarden memwarden) {
        this.shape = shape;
        this.cache = Caches.<Integer, byte[]>builder("product-cache")
                .maximumBytes(24L * MIB, (key, value) -> value.length)
                .registry(memwarden.resources())
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: HealthyShapes cache-warmup|sawtooth|grow-and-release SECONDS");
            System.exit(2);
        }
        Shape shape = Shape.parse(args[0]);
        Duration run = Duration.ofSeconds(Long.parseLong(args[1]));
        // The shapes' cycles are tuned to the demo's window; a service's defaults are judged on DefaultsScenarios'.
        try (Memwarden memwarden = Memwarden.builder().config(DemoMain.CONFIG).start()) {
            new HealthyShapes(shape, memwarden).run(memwarden, run);
        }
    }

    private void run(Memwarden memwarden, Duration run) throws InterruptedException {
        long start = System.nanoTime();
        byte[][] garbage = new byte[256][];
        Instant lastCheck = Instant.EPOCH;
        long leastLive = Long.MAX_VALUE;
        long mostLive = 0;
        for (long tick = 0; ; tick++) {
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (elapsedMillis >= run.toMillis()) {
                break;
            }
            if (elapsedMillis >= SHAPE_STARTS.toMillis()) {
                step(elapsedMillis - SHAPE_STARTS.toMillis());
            }
            for (int i = 0; i < 40; i++) { // about 4 MB/s of short-lived garbage, as requests make
                garbage[(int) (tick * 40 + i) % garbage.length] = new byte[1024];
            }
            if (tick % 100 == 0) {
                LeakReport report = memwarden.leakReport();
                if (report.checkedAt().isAfter(lastCheck)) {
                    lastCheck = report.checkedAt();
                    System.out.printf(
                            Locale.ROOT, "CHECK %ds %s %s%n", elapsedMillis / 1000, report.verdict(), suspects(report));
                }
                var live = memwarden.snapshot().liveSet();
                if (live.isPresent() && elapsedMillis >= SHAPE_STARTS.toMillis()) {
                    leastLive = Math.min(leastLive, live.getAsLong());
                    mostLive = Math.max(mostLive, live.getAsLong());
                }
            }
            TimeUnit.MILLISECONDS.sleep(10); // the pace of the load, not a wait for a result
        }
        System.out.printf(Locale.ROOT, "LIVE-SET-RANGE %d %d%n", leastLive, mostLive);
        System.out.println("FINAL " + memwarden.checkLeaks().toJson());
    }

    /** One 10 ms tick of the shape, {@code millis} after it began. */
    private void step(long millis) {
        switch (shape) {
            case CACHE_WARMUP -> {
                for (int i = 0; i < 15; i++) { // 1,500 reads a second
                    var unused = cache.get(random.nextInt(60 * 1024), key -> new byte[1024]);
                }
            }
            case SAWTOOTH -> {
                long slot = millis / 2_500;
                if (held.size() < 1 + slot % 6) {
                    held.add(new byte[4 * MIB]);
                } else if (slot % 6 == 0 && held.size() > 1) {
                    held.clear();
                    held.add(new byte[4 * MIB]);
                }
            }
            case GROW_AND_RELEASE -> {
                if (millis < 16_000 && held.size() < millis * 1_536 / 64 / 1000) {
                    held.add(new byte[64 * 1024]); // 1.5 MiB/s in 64 KiB pieces
                } else if (millis >= 26_000) {
                    held.clear();
                }
            }
        }
    }

    private static String suspects(LeakReport report) {
        List<String> names = new ArrayList<>();
        for (LeakReport.Suspect s : report.suspects()) {
            names.add(s.kind() + " " + s.name());
        }
        return names.toString();
    }
}
