package dev.memwarden.internal.telemetry;

import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs in a child JVM for {@link MemorySamplerIT}: builds a known state (direct buffers, open files, parked
 * threads), samples it, and prints each metric as {@code key=value}.
 */
public final class SamplerProbe {
    private SamplerProbe() {}

    public static void main(String[] args) throws IOException {
        List<ByteBuffer> direct = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            direct.add(ByteBuffer.allocateDirect(1 << 20));
        }
        Path dir = Files.createTempDirectory("memwarden-probe");
        List<RandomAccessFile> files = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            files.add(new RandomAccessFile(dir.resolve("f" + i).toFile(), "rw"));
        }
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            done.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "probe-" + i);
            t.setDaemon(true);
            t.start();
        }
        System.gc();
        try (GcMonitor gc = GcMonitor.start(256, InstantSource.system());
                MemorySampler sampler = MemorySampler.create(InstantSource.system(), gc, Duration.ZERO)) {
            // Duration.ZERO: every figure re-read on every sample, so the test compares figures of one moment.
            SampleBuffer buffer = sampler.newBuffer();
            sampler.sample(buffer);
            // GC notifications arrive on a JDK thread after the collection: poll for one, with a deadline.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (gc.liveSet().isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.onSpinWait();
            }
            sampler.sample(buffer);
            for (Metric metric : Metric.values()) {
                System.out.println(metric.key() + "=" + buffer.get(metric));
            }
            MemorySnapshot snapshot = buffer.toSnapshot();
            System.out.println("pools=" + snapshot.pools().size());
            System.out.println("container="
                    + snapshot.container().map(c -> "v" + c.cgroupVersion()).orElse("none"));
        }
        done.countDown();
        for (RandomAccessFile f : files) {
            f.close();
        }
        System.out.println("direct.held=" + direct.size());
    }
}
