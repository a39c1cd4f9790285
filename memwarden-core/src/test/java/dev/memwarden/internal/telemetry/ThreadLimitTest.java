package dev.memwarden.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What bounds the threads, over fixture trees of /proc and the cgroup file systems. */
class ThreadLimitTest {
    private static final String LIMITS = "Limit                     Soft Limit           Hard Limit           Units\n"
            + "Max processes             96370                96370                processes\n"
            + "Max open files            20000                20000                files\n";

    @TempDir
    Path root;

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private double limit() {
        return ThreadLimit.read(root.resolve("proc/self"), root);
    }

    @Test
    void theLowerOfUlimitAndTheCgroupsPidsMaxAndItsAncestors() throws IOException {
        write("proc/self/limits", LIMITS);
        write("proc/self/cgroup", "0::/kubepods/pod1/svc\n");
        write("proc/self/mountinfo", "22 21 0:19 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/kubepods/pod1/svc/pids.max", "max\n");
        write("sys/fs/cgroup/kubepods/pod1/pids.max", "4096\n");
        write("sys/fs/cgroup/kubepods/pids.max", "max\n");
        assertThat(limit()).isEqualTo(4096);
    }

    @Test
    void aV1PidsHierarchyCountsToo() throws IOException {
        write("proc/self/limits", LIMITS);
        write("proc/self/cgroup", "8:pids:/docker/abc\n4:memory:/docker/abc\n");
        write("proc/self/mountinfo", "36 31 0:33 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n");
        write("sys/fs/cgroup/pids/docker/abc/pids.max", "1024\n");
        assertThat(limit()).isEqualTo(1024);
    }

    @Test
    void withoutACgroupLimitItIsTheProcessLimitAndWithoutEitherItIsUnbounded() throws IOException {
        write("proc/self/limits", LIMITS);
        assertThat(limit()).isEqualTo(96370);

        write("proc/self/limits", LIMITS.replace("96370                96370", "unlimited            unlimited"));
        assertThat(limit()).isInfinite();
    }
}
