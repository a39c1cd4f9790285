package dev.memwarden.internal.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What bounds this process's threads: the lower of {@code ulimit -u} (the soft "Max processes" of
 * /proc/self/limits, which counts every thread of the user, so it bounds this process from above) and the
 * {@code pids.max} of its cgroup and the cgroup's ancestors. Read once: both are set before a service starts.
 */
final class ThreadLimit {
    private ThreadLimit() {}

    /** The limit, or infinity where nothing bounds the threads or nothing can be read. */
    static double read(Path procSelf, Path fsRoot) {
        double limit = processLimit(procSelf.resolve("limits"));
        for (Path dir : ContainerReader.controllerDirs(procSelf, fsRoot, "pids")) {
            for (Path d = dir; d != null && Files.isReadable(d.resolve("pids.max")); d = d.getParent()) {
                limit = Math.min(limit, pidsMax(d.resolve("pids.max")));
            }
        }
        return limit;
    }

    private static double processLimit(Path limits) {
        for (String line : lines(limits)) {
            if (line.startsWith("Max processes")) {
                return number(line.substring("Max processes".length()).trim().split("\\s+", -1)[0]);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double pidsMax(Path file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? Double.POSITIVE_INFINITY : number(lines.get(0).trim());
    }

    /** A limit as the kernel writes it: digits, or "unlimited" / "max" for none. */
    private static double number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
