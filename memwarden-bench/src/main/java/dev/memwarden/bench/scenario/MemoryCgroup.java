package dev.memwarden.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A memory cgroup with a limit, made for one child JVM as a container would bound it (cgroup v1 or v2; needs root or a
 * delegated hierarchy), and removed when closed. The child is started by a shell that moves itself into the cgroup
 * before it becomes the JVM, so everything the JVM allocates is charged to the limit.
 */
final class MemoryCgroup implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final Path dir;

    private MemoryCgroup(Path dir) {
        this.dir = dir;
    }

    /** Makes the cgroup {@code name} limited to {@code bytes}; fails with what to do where cgroups are not writable. */
    static MemoryCgroup create(String name, long bytes) {
        boolean v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
        Path dir = v2 ? ROOT.resolve(name) : ROOT.resolve("memory").resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(bytes));
            return new MemoryCgroup(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "cannot make a memory cgroup at " + dir + " (" + e + "): run as root, or where the cgroup"
                            + " hierarchy is delegated to this user",
                    e);
        }
    }

    /** The command that starts a child inside this cgroup: the JVM's command follows it as {@code "$0" "$@"}. */
    List<String> launcher() {
        return List.of("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs") + " && exec \"$0\" \"$@\"");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("removing the cgroup " + dir, e);
        }
    }
}
