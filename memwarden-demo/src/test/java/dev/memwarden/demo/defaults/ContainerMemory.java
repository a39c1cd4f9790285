package dev.memwarden.demo.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory limit of the cgroup this process runs in, as a workload that runs into it reads it (cgroup v1 or v2),
 * and the process's resident set: what the kernel's OOM killer weighs against the limit.
 */
final class ContainerMemory {
    private ContainerMemory() {}

    /** The limit in bytes; 0 where the cgroup sets none or none is found. */
    static long limit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] fields = line.split(":", 3);
                if (fields.length < 3) {
                    continue;
                }
                if (List.of(fields[1].split(",", -1)).contains("memory")) {
                    return read(Path.of("/sys/fs/cgroup/memory" + fields[2], "memory.limit_in_bytes"));
                }
                if (fields[0].equals("0") && fields[1].isEmpty()) {
                    long v2 = read(Path.of("/sys/fs/cgroup" + fields[2], "memory.max"));
                    if (v2 > 0) {
                        return v2;
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VmRSS of /proc/self/status, in bytes. */
    static long rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) << 10)
                    .findFirst()
                    .orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A limit file's value; 0 for "max", an unbounded v1 limit (near Long.MAX_VALUE) or a missing file. */
    private static long read(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            return 0;
        }
        String value = Files.readString(file).trim();
        if (value.equals("max")) {
            return 0;
        }
        long bytes = Long.parseLong(value);
        return bytes >= Long.MAX_VALUE / 2 ? 0 : bytes;
    }
}
