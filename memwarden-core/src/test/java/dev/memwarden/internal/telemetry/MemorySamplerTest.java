package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.telemetry.Metric;
import dev.memwarden.testing.ManualClock;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler with this JVM's beans but a fixture /proc/self, so process figures have known values. */
class MemorySamplerTest {
    @TempDir
    Path procSelf;

    private final ManualClock clock = ManualClock.at2026();

    private void writeProc(long residentPages, long rssAnonKb, long peakKb) throws IOException {
        Files.writeString(procSelf.resolve("statm"), "50000 " + residentPages + " 300 10 0 9000 0\n");
        Files.writeString(
                procSelf.resolve("status"),
                "Name:\tjava\nVmHWM:\t " + peakKb + " kB\nVmRSS:\t 999 kB\nRssAnon:\t " + rssAnonKb
                        + " kB\nRssFile:\t 1200 kB\nRssShmem:\t 0 kB\n");
    }

    private void writeAuxv(long pageSize) throws IOException {
        ByteBuffer auxv = ByteBuffer.allocate(4 * 16).order(ByteOrder.nativeOrder());
        auxv.putLong(33).putLong(0x7fff0000L); // AT_SYSINFO_EHDR
        auxv.putLong(6).putLong(pageSize); // AT_PAGESZ
        auxv.putLong(17).putLong(100); // AT_CLKTCK
        auxv.putLong(0).putLong(0); // AT_NULL
        Files.write(procSelf.resolve("auxv"), auxv.array());
    }

    private MemorySampler sampler() {
        return new MemorySampler(
                clock,
                ManagementFactory.getMemoryMXBean(),
                ManagementFactory.getMemoryPoolMXBeans(),
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class),
                ManagementFactory.getGarbageCollectorMXBeans(),
                ManagementFactory.getThreadMXBean(),
                ManagementFactory.getClassLoadingMXBean(),
                ManagementFactory.getRuntimeMXBean(),
                ManagementFactory.getOperatingSystemMXBean(),
                64L << 20,
                procSelf,
                ContainerReader.NONE,
                null,
                Duration.ofSeconds(5));
    }

    @Test
    void rssComesFromStatmEverySampleAndDetailEveryFiveSeconds() throws IOException {
        writeAuxv(16384);
        writeProc(1000, 800, 20000);
        try (MemorySampler sampler = sampler()) {
            SampleBuffer buffer = sampler.newBuffer();
            sampler.sample(buffer);
            assertThat(buffer.get(Metric.RSS)).isEqualTo(1000 * 16384.0);
            assertThat(buffer.get(Metric.RSS_ANON)).isEqualTo(800 * 1024.0);
            assertThat(buffer.get(Metric.RSS_FILE)).isEqualTo(1200 * 1024.0);
            assertThat(buffer.get(Metric.RSS_PEAK)).isEqualTo(20000 * 1024.0);

            writeProc(2000, 1600, 40000);
            clock.advance(Duration.ofSeconds(1));
            sampler.sample(buffer);
            assertThat(buffer.get(Metric.RSS)).isEqualTo(2000 * 16384.0);
            assertThat(buffer.get(Metric.RSS_ANON)).as("carried forward").isEqualTo(800 * 1024.0);
            // 2000 pages of 16 KiB are more than the 20000 kB peak read before: the peak is at least what is resident.
            assertThat(buffer.get(Metric.RSS_PEAK)).isEqualTo(2000 * 16384.0);

            clock.advance(Duration.ofSeconds(4));
            sampler.sample(buffer);
            assertThat(buffer.get(Metric.RSS_ANON)).isEqualTo(1600 * 1024.0);
            assertThat(buffer.get(Metric.RSS_PEAK)).isEqualTo(40000 * 1024.0);
            assertThat(buffer.has(Metric.FDS_OPEN)).isTrue();
        }
    }

    @Test
    void missingProcFilesLeaveProcessFiguresAbsent() {
        try (MemorySampler sampler = sampler()) {
            SampleBuffer buffer = sampler.newBuffer();
            sampler.sample(buffer);
            assertThat(buffer.has(Metric.RSS)).isFalse();
            assertThat(buffer.has(Metric.RSS_PEAK)).isFalse();
            assertThat(buffer.toSnapshot().process().rss()).isEmpty();
            // MXBean figures are still there.
            assertThat(buffer.get(Metric.HEAP_USED)).isPositive();
            assertThat(buffer.get(Metric.DIRECT_MAX)).isEqualTo(64 << 20);
        }
    }

    @Test
    void thePageSizeOfThisMachineIsReadFromAuxv() {
        long pageSize = MemorySampler.pageSize(Path.of("/proc/self/auxv"));
        assertThat(Long.bitCount(pageSize)).isEqualTo(1);
        assertThat(pageSize).isBetween(4096L, 65536L);
        assertThat(MemorySampler.pageSize(procSelf.resolve("no-such-file"))).isEqualTo(4096);
    }
}
