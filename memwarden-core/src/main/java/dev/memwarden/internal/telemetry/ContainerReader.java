package dev.memwarden.internal.telemetry;

import dev.memwarden.telemetry.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the memory cgroup this process runs in. {@link #detect} finds it the way the JDK's own container support
 * does: the memory line of {@code /proc/self/cgroup} joined with its mount in {@code /proc/self/mountinfo}.
 * cgroup v1 is taken when its memory controller is mounted (hybrid hosts also mount an empty v2 tree), v2
 * otherwise.
 *
 * <p>The effective limit is the smallest of this cgroup's and its visible ancestors': a service in an unlimited
 * child of a limited parent is still killed at the parent's limit.
 */
abstract class ContainerReader implements AutoCloseable {
    private static final int SMALL_FILE = 64;
    private static final int STAT_FILE = 16 * 1024;
    /** cgroup v1 writes "unlimited" as LONG_MAX rounded down to a page; anything this large is no limit. */
    private static final long V1_UNLIMITED = 1L << 62;

    static final ContainerReader NONE = new ContainerReader() {
        @Override
        int version() {
            return 0;
        }

        @Override
        void read(SampleBuffer into, boolean detailed) {}

        @Override
        public void close() {}
    };

    abstract int version();

    /**
     * Writes the cgroup's figures. Usage and the cgroup's own limit are read every time; with {@code detailed}
     * also the stat, events, peak and ancestors' limits, which are carried forward in between.
     */
    abstract void read(SampleBuffer into, boolean detailed);

    @Override
    public abstract void close();

    /**
     * Finds this process's memory cgroup.
     *
     * @param procSelf normally {@code /proc/self}
     * @param fsRoot normally {@code /}; mount points are resolved against it so fixtures can stand in
     */
    static ContainerReader detect(Path procSelf, Path fsRoot) {
        List<String> cgroupLines = readLines(procSelf.resolve("cgroup"));
        List<String> mountLines = readLines(procSelf.resolve("mountinfo"));
        String v1Path = null;
        String v2Path = null;
        for (String line : cgroupLines) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                v2Path = parts[2];
            } else if (List.of(parts[1].split(",", -1)).contains("memory")) {
                v1Path = parts[2];
            }
        }
        for (String line : mountLines) {
            Mount mount = Mount.parse(line);
            if (mount == null) {
                continue;
            }
            if (v1Path != null && mount.fsType.equals("cgroup") && mount.superOptions.contains("memory")) {
                Path dir = mount.resolve(fsRoot, v1Path);
                ContainerReader reader = V1.open(dir);
                if (reader != null) {
                    return reader;
                }
            }
        }
        if (v2Path != null) {
            for (String line : mountLines) {
                Mount mount = Mount.parse(line);
                if (mount != null && mount.fsType.equals("cgroup2")) {
                    ContainerReader reader = V2.open(mount.resolve(fsRoot, v2Path), fsRoot.resolve(strip(mount.point)));
                    if (reader != null) {
                        return reader;
                    }
                }
            }
        }
        return NONE;
    }

    /**
     * The directories that may hold a cgroup controller's files for this process, nearest first: its v1 hierarchy of
     * that controller, then its v2 cgroup. Empty where /proc says nothing.
     */
    static List<Path> controllerDirs(Path procSelf, Path fsRoot, String controller) {
        List<String> mountLines = readLines(procSelf.resolve("mountinfo"));
        List<Path> dirs = new ArrayList<>();
        for (String line : readLines(procSelf.resolve("cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            boolean v2 = parts[0].equals("0") && parts[1].isEmpty();
            if (!v2 && !List.of(parts[1].split(",", -1)).contains(controller)) {
                continue;
            }
            for (String mountLine : mountLines) {
                Mount mount = Mount.parse(mountLine);
                if (mount == null) {
                    continue;
                }
                boolean matches = v2
                        ? mount.fsType.equals("cgroup2")
                        : mount.fsType.equals("cgroup") && mount.superOptions.contains(controller);
                if (matches) {
                    dirs.add(v2 ? dirs.size() : 0, mount.resolve(fsRoot, parts[2]));
                }
            }
        }
        return dirs;
    }

    private static List<String> readLines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private static String strip(String absolute) {
        return absolute.startsWith("/") ? absolute.substring(1) : absolute;
    }

    /** One line of mountinfo: {@code id parent dev root point options [optional...] - type source superOptions}. */
    private record Mount(String root, String point, String fsType, List<String> superOptions) {
        static @Nullable Mount parse(String line) {
            String[] fields = line.split(" ", -1);
            int dash = -1;
            for (int i = 6; i < fields.length; i++) {
                if (fields[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 3 > fields.length) {
                return null;
            }
            List<String> superOptions = dash + 3 < fields.length ? List.of(fields[dash + 3].split(",", -1)) : List.of();
            return new Mount(unescape(fields[3]), unescape(fields[4]), fields[dash + 1], superOptions);
        }

        /** Where the cgroup's directory is, given this mount of its hierarchy. */
        Path resolve(Path fsRoot, String cgroupPath) {
            Path mountDir = fsRoot.resolve(strip(point));
            String relative;
            if (root.equals("/")) {
                relative = cgroupPath;
            } else if (cgroupPath.startsWith(root)) {
                relative = cgroupPath.substring(root.length());
            } else {
                // A namespaced container sees its own cgroup as the mount's root.
                relative = "";
            }
            Path dir = mountDir.resolve(strip(relative));
            return Files.isDirectory(dir) ? dir : mountDir;
        }

        /** mountinfo escapes space, tab, newline and backslash as three-digit octal. */
        private static String unescape(String field) {
            if (field.indexOf('\\') < 0) {
                return field;
            }
            StringBuilder out = new StringBuilder(field.length());
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '\\' && i + 3 < field.length()) {
                    try {
                        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                        i += 3;
                        continue;
                    } catch (NumberFormatException e) {
                        // Not an escape after all; keep the backslash.
                    }
                }
                out.append(c);
            }
            return out.toString();
        }
    }

    /** cgroup v2: memory.max, memory.current, memory.peak, memory.stat, memory.events. */
    static final class V2 extends ContainerReader {
        private final @Nullable ProcFile max;
        private final ProcFile current;
        private final @Nullable ProcFile peak;
        private final @Nullable ProcFile stat;
        private final @Nullable ProcFile events;
        private final List<ProcFile> ancestorMaxes;

        private V2(Path dir, Path mountDir, ProcFile current) {
            this.current = current;
            this.max = ProcFile.open(dir.resolve("memory.max"), SMALL_FILE);
            this.peak = ProcFile.open(dir.resolve("memory.peak"), SMALL_FILE);
            this.stat = ProcFile.open(dir.resolve("memory.stat"), STAT_FILE);
            this.events = ProcFile.open(dir.resolve("memory.events"), 512);
            List<ProcFile> ancestors = new ArrayList<>();
            Path parent = dir.getParent();
            while (parent != null && parent.startsWith(mountDir)) {
                ProcFile file = ProcFile.open(parent.resolve("memory.max"), SMALL_FILE);
                if (file != null) {
                    ancestors.add(file);
                }
                if (parent.equals(mountDir)) {
                    break;
                }
                parent = parent.getParent();
            }
            this.ancestorMaxes = List.copyOf(ancestors);
        }

        static @Nullable ContainerReader open(Path dir, Path mountDir) {
            ProcFile current = ProcFile.open(dir.resolve("memory.current"), SMALL_FILE);
            return current == null ? null : new V2(dir, mountDir, current);
        }

        @Override
        int version() {
            return 2;
        }

        private final Detail detail = new Detail();

        @Override
        void read(SampleBuffer into, boolean detailed) {
            if (!current.refresh()) {
                return;
            }
            into.setCgroupVersion(2);
            into.setLong(Metric.CONTAINER_USED, current.single(Long.MAX_VALUE));
            if (detailed) {
                readDetail();
            }
            long own = max != null && max.refresh() ? max.single(Long.MAX_VALUE) : Long.MAX_VALUE;
            detail.writeTo(into, own);
        }

        private void readDetail() {
            long limit = Long.MAX_VALUE;
            for (ProcFile ancestor : ancestorMaxes) {
                if (ancestor.refresh()) {
                    limit = Math.min(limit, ancestor.single(Long.MAX_VALUE));
                }
            }
            detail.inheritedLimit = limit;
            if (peak != null && peak.refresh()) {
                detail.peak = peak.single(ProcFile.ABSENT);
            }
            if (stat != null && stat.refresh()) {
                detail.anon = stat.keyed("anon");
                detail.file = stat.keyed("file");
            }
            if (events != null && events.refresh()) {
                detail.oomKills = events.keyed("oom_kill");
            }
        }

        @Override
        public void close() {
            current.close();
            closeAll(max, peak, stat, events);
            ancestorMaxes.forEach(ProcFile::close);
        }
    }

    /** cgroup v1: memory.limit_in_bytes, usage_in_bytes, max_usage_in_bytes, memory.stat, memory.oom_control. */
    static final class V1 extends ContainerReader {
        private final ProcFile usage;
        private final @Nullable ProcFile limit;
        private final @Nullable ProcFile peak;
        private final @Nullable ProcFile stat;
        private final @Nullable ProcFile oomControl;

        private V1(Path dir, ProcFile usage) {
            this.usage = usage;
            this.limit = ProcFile.open(dir.resolve("memory.limit_in_bytes"), SMALL_FILE);
            this.peak = ProcFile.open(dir.resolve("memory.max_usage_in_bytes"), SMALL_FILE);
            this.stat = ProcFile.open(dir.resolve("memory.stat"), STAT_FILE);
            this.oomControl = ProcFile.open(dir.resolve("memory.oom_control"), 256);
        }

        static @Nullable ContainerReader open(Path dir) {
            ProcFile usage = ProcFile.open(dir.resolve("memory.usage_in_bytes"), SMALL_FILE);
            return usage == null ? null : new V1(dir, usage);
        }

        @Override
        int version() {
            return 1;
        }

        private final Detail detail = new Detail();

        @Override
        void read(SampleBuffer into, boolean detailed) {
            if (!usage.refresh()) {
                return;
            }
            into.setCgroupVersion(1);
            into.setLong(Metric.CONTAINER_USED, usage.single(ProcFile.ABSENT));
            if (detailed) {
                readDetail();
            }
            long own = limit != null && limit.refresh() ? bounded(limit.single(Long.MAX_VALUE)) : Long.MAX_VALUE;
            detail.writeTo(into, own);
        }

        private void readDetail() {
            if (stat != null && stat.refresh()) {
                detail.inheritedLimit = bounded(stat.keyed("hierarchical_memory_limit"));
                detail.anon = firstPresent(stat.keyed("total_rss"), stat.keyed("rss"));
                detail.file = firstPresent(stat.keyed("total_cache"), stat.keyed("cache"));
            }
            if (peak != null && peak.refresh()) {
                detail.peak = peak.single(ProcFile.ABSENT);
            }
            if (oomControl != null && oomControl.refresh()) {
                detail.oomKills = oomControl.keyed("oom_kill");
            }
        }

        private static long bounded(long value) {
            return value == ProcFile.ABSENT || value >= V1_UNLIMITED ? Long.MAX_VALUE : value;
        }

        private static long firstPresent(long a, long b) {
            return a != ProcFile.ABSENT ? a : b;
        }

        @Override
        public void close() {
            usage.close();
            closeAll(limit, peak, stat, oomControl);
        }
    }

    /** The figures read on a detailed pass and written with every sample until the next one. */
    private static final class Detail {
        /** The smallest limit above this cgroup (v2: ancestors' memory.max; v1: hierarchical_memory_limit). */
        long inheritedLimit = Long.MAX_VALUE;

        long peak = ProcFile.ABSENT;
        long anon = ProcFile.ABSENT;
        long file = ProcFile.ABSENT;
        long oomKills = ProcFile.ABSENT;

        void writeTo(SampleBuffer into, long ownLimit) {
            long limit = Math.min(ownLimit, inheritedLimit);
            into.set(Metric.CONTAINER_LIMIT, limit == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : limit);
            into.setLong(Metric.CONTAINER_PEAK, peak);
            into.setLong(Metric.CONTAINER_ANON, anon);
            into.setLong(Metric.CONTAINER_FILE, file);
            into.setLong(Metric.CONTAINER_OOM_KILLS, oomKills);
        }
    }

    private static void closeAll(@Nullable ProcFile... files) {
        for (ProcFile file : files) {
            if (file != null) {
                file.close();
            }
        }
    }
}
