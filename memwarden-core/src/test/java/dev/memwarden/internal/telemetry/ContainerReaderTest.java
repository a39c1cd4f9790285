package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.telemetry.MemorySnapshot;
import dev.memwarden.telemetry.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup detection and parsing on fixture trees laid out like real hosts and containers. */
class ContainerReaderTest {
    @TempDir
    Path root;

    private Path procSelf() throws IOException {
        return Files.createDirectories(root.resolve("proc/self"));
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private SampleBuffer read() throws IOException {
        SampleBuffer buffer = Samples.at(0);
        try (ContainerReader reader = ContainerReader.detect(procSelf(), root)) {
            reader.read(buffer, true);
        }
        return buffer;
    }

    private void cgroupV2Container() throws IOException {
        write("proc/self/cgroup", "0::/\n");
        write(
                "proc/self/mountinfo",
                "22 21 0:19 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n");
    }

    @Test
    void cgroupV2WithLimit() throws IOException {
        cgroupV2Container();
        write("sys/fs/cgroup/memory.max", "536870912\n");
        write("sys/fs/cgroup/memory.current", "123456789\n");
        write("sys/fs/cgroup/memory.peak", "234567890\n");
        write("sys/fs/cgroup/memory.stat", "anon 100000000\nfile 20000000\nkernel 3000000\nanon_thp 0\n");
        write("sys/fs/cgroup/memory.events", "low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n");

        SampleBuffer buffer = read();

        MemorySnapshot.Container container = buffer.toSnapshot().container().orElseThrow();
        assertThat(container.cgroupVersion()).isEqualTo(2);
        assertThat(container.limit()).isEqualTo(MemorySnapshot.Limit.of(536_870_912));
        assertThat(container.used()).isEqualTo(123_456_789);
        assertThat(container.peak()).hasValue(234_567_890);
        assertThat(container.anon()).hasValue(100_000_000);
        assertThat(container.file()).hasValue(20_000_000);
        assertThat(container.oomKills()).hasValue(1);
    }

    @Test
    void detailIsCarriedForwardUntilTheNextDetailedRead() throws IOException {
        cgroupV2Container();
        write("sys/fs/cgroup/memory.max", "1000000\n");
        write("sys/fs/cgroup/memory.current", "1000\n");
        write("sys/fs/cgroup/memory.stat", "anon 600\nfile 300\n");
        try (ContainerReader reader = ContainerReader.detect(procSelf(), root)) {
            SampleBuffer buffer = Samples.at(0);
            reader.read(buffer, true);

            write("sys/fs/cgroup/memory.current", "2000\n");
            write("sys/fs/cgroup/memory.max", "500000\n");
            write("sys/fs/cgroup/memory.stat", "anon 1600\nfile 300\n");
            reader.read(buffer, false);
            assertThat(buffer.get(Metric.CONTAINER_USED)).isEqualTo(2000);
            assertThat(buffer.get(Metric.CONTAINER_LIMIT)).isEqualTo(500_000);
            assertThat(buffer.get(Metric.CONTAINER_ANON)).isEqualTo(600);

            reader.read(buffer, true);
            assertThat(buffer.get(Metric.CONTAINER_ANON)).isEqualTo(1600);
        }
    }

    @Test
    void cgroupV2UnlimitedSaysUnlimitedAndMissingFilesAreAbsent() throws IOException {
        cgroupV2Container();
        write("sys/fs/cgroup/memory.max", "max\n");
        write("sys/fs/cgroup/memory.current", "4096\n");

        MemorySnapshot.Container container = read().toSnapshot().container().orElseThrow();

        assertThat(container.limit().isUnlimited()).isTrue();
        assertThat(container.limit()).hasToString("unlimited");
        assertThat(container.peak()).isEmpty(); // memory.peak needs kernel 5.19
        assertThat(container.anon()).isEmpty();
        assertThat(container.oomKills()).isEmpty();
    }

    @Test
    void cgroupV2EffectiveLimitIsTheSmallestAncestorLimit() throws IOException {
        write("proc/self/cgroup", "0::/system.slice/app.service\n");
        write("proc/self/mountinfo", "22 21 0:19 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/system.slice/memory.max", "1073741824\n");
        write("sys/fs/cgroup/system.slice/app.service/memory.max", "max\n");
        write("sys/fs/cgroup/system.slice/app.service/memory.current", "1000\n");

        MemorySnapshot.Container container = read().toSnapshot().container().orElseThrow();

        assertThat(container.limit()).isEqualTo(MemorySnapshot.Limit.of(1_073_741_824));
        assertThat(container.used()).isEqualTo(1000);
    }

    @Test
    void cgroupV1OnAHybridHostWinsOverTheEmptyUnifiedTree() throws IOException {
        write("proc/self/cgroup", "9:name=systemd:/\n4:memory:/process_api/abc\n3:cpuset:/\n0::/\n");
        write(
                "proc/self/mountinfo",
                String.join(
                        "\n",
                        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                        ""));
        String dir = "sys/fs/cgroup/memory/process_api/abc/";
        write(dir + "memory.limit_in_bytes", "268435456\n");
        write(dir + "memory.usage_in_bytes", "8851456\n");
        write(dir + "memory.max_usage_in_bytes", "68898816\n");
        write(
                dir + "memory.stat",
                "cache 5476352\nrss 1785856\nrss_huge 0\nhierarchical_memory_limit 9223372036854771712\n"
                        + "total_cache 5476352\ntotal_rss 1785856\n");
        write(dir + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");

        MemorySnapshot.Container container = read().toSnapshot().container().orElseThrow();

        assertThat(container.cgroupVersion()).isEqualTo(1);
        assertThat(container.limit()).isEqualTo(MemorySnapshot.Limit.of(268_435_456));
        assertThat(container.used()).isEqualTo(8_851_456);
        assertThat(container.peak()).hasValue(68_898_816);
        assertThat(container.anon()).hasValue(1_785_856);
        assertThat(container.file()).hasValue(5_476_352);
        assertThat(container.oomKills()).hasValue(3);
    }

    @Test
    void cgroupV1UnlimitedButParentLimitedUsesTheHierarchicalLimit() throws IOException {
        write("proc/self/cgroup", "4:memory:/docker/abc\n");
        // Namespaced container: the mount's root is the container's own cgroup.
        write("proc/self/mountinfo", "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1024\n");
        write("sys/fs/cgroup/memory/memory.stat", "rss 10\ncache 20\nhierarchical_memory_limit 536870912\n");

        MemorySnapshot.Container container = read().toSnapshot().container().orElseThrow();

        assertThat(container.limit()).isEqualTo(MemorySnapshot.Limit.of(536_870_912));
        assertThat(container.anon()).hasValue(10);
        assertThat(container.oomKills()).isEmpty();
    }

    @Test
    void cgroupV1Unlimited() throws IOException {
        write("proc/self/cgroup", "4:memory:/\n");
        write("proc/self/mountinfo", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1024\n");

        MemorySnapshot.Container container = read().toSnapshot().container().orElseThrow();

        assertThat(container.limit().isUnlimited()).isTrue();
    }

    @Test
    void noCgroupFilesMeansNoContainer() throws IOException {
        procSelf();
        assertThat(read().toSnapshot().container()).isEmpty();

        write("proc/self/cgroup", "0::/\n");
        write("proc/self/mountinfo", "22 21 0:19 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        // The mount exists but the memory controller files do not.
        Files.createDirectories(root.resolve("sys/fs/cgroup"));
        assertThat(read().toSnapshot().container()).isEmpty();
    }

    @Test
    void mountPointsWithEscapedSpacesAreDecoded() throws IOException {
        write("proc/self/cgroup", "0::/\n");
        write("proc/self/mountinfo", "22 21 0:19 / /cg\\040root rw - cgroup2 cgroup2 rw\n");
        write("cg root/memory.current", "77\n");

        assertThat(read().toSnapshot().container().orElseThrow().used()).isEqualTo(77);
    }

    @Test
    void procFileRereadsInPlace() throws IOException {
        write("status", "Name:\tjava\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nRssAnon:\t 512 kB\n");
        try (ProcFile file = ProcFile.open(root.resolve("status"), 4096)) {
            assertThat(file).isNotNull();
            assertThat(file.refresh()).isTrue();
            assertThat(file.keyed("VmRSS")).isEqualTo(1024 * 1024);
            assertThat(file.keyed("RssFile")).isEqualTo(ProcFile.ABSENT);
            Files.writeString(root.resolve("status"), "VmRSS:\t  4096 kB\n");
            assertThat(file.refresh()).isTrue();
            assertThat(file.keyed("VmRSS")).isEqualTo(4096 * 1024);
            assertThat(List.of(file.keyed("VmHWM"))).containsExactly(ProcFile.ABSENT);
        }
    }
}
