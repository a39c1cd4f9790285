package dev.memwarden.dump;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.memwarden.internal.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Heap dumps of this JVM's live objects, taken with care: into one directory, under a clear name ({@code
 * heap-<pid>-<UTC time>.hprof}), readable by the owner only, never over an existing file, refused with the reason
 * when the disk is short or the last dump is too recent, and the oldest deleted past a retention count (any file
 * in the directory named like its dumps counts: the directory is meant for them alone).
 *
 * <p>A dump stops the JVM while it walks the heap (about a second per GB) and writes as much as the live heap, so
 * it is for an operator's request or a confirmed leak, not a routine. {@link #armOnOutOfMemoryError()} sets the
 * JVM's own dump on OutOfMemoryError to the same directory.
 */
public final class HeapDumps {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** What a capture came to. */
    public sealed interface Result permits Captured, Refused {}

    /** A dump was written. */
    public record Captured(Path file, long bytes, Duration took) implements Result {}

    /** No dump was written, and why. */
    public record Refused(String reason) implements Result {}

    private final Path directory;
    private final int retain;
    private final Duration minInterval;
    private final long reserveBytes;
    private final InstantSource clock;
    private final LongSupplier estimatedBytes;
    private final HotSpotDiagnosticMXBean hotspot;
    private Instant lastCapture = Instant.MIN;

    private HeapDumps(Builder builder) {
        this.directory = builder.directory;
        this.retain = builder.retain;
        this.minInterval = builder.minInterval;
        this.reserveBytes = builder.reserveBytes;
        this.clock = builder.clock;
        this.estimatedBytes = builder.estimatedBytes;
        this.hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    public Path directory() {
        return directory;
    }

    /** Dumps the live heap now, unless the rate limit or the free disk says no. */
    public synchronized Result capture() {
        Instant now = clock.instant();
        if (!lastCapture.equals(Instant.MIN) && now.isBefore(lastCapture.plus(minInterval))) {
            return new Refused("the last heap dump was taken at " + lastCapture + "; at most one every "
                    + Format.duration(minInterval.toSeconds()));
        }
        try {
            createDirectory();
            long estimate = estimatedBytes.getAsLong();
            long needed = estimate + reserveBytes;
            FileStore store = Files.getFileStore(directory);
            long free = store.getUsableSpace();
            if (free < needed) {
                return new Refused(String.format(
                        "only %s free in %s; a dump of the live heap needs about %s plus the %s reserve",
                        Format.bytes(free), directory, Format.bytes(estimate), Format.bytes(reserveBytes)));
            }
            Path file = freshName(now);
            long start = System.nanoTime();
            lastCapture = now;
            hotspot.dumpHeap(file.toString(), true);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            restrict(file);
            deleteBeyondRetention();
            return new Captured(file, Files.size(file), took);
        } catch (IOException | UncheckedIOException e) {
            return new Refused("writing the heap dump into " + directory + " failed: " + e.getMessage());
        }
    }

    /**
     * Makes the JVM dump its heap into this directory when it throws OutOfMemoryError: the last evidence of a leak
     * that nothing caught in time. Rate limit and retention do not apply to the JVM's own dump.
     */
    public void armOnOutOfMemoryError() throws IOException {
        createDirectory();
        hotspot.setVMOption("HeapDumpPath", directory.toAbsolutePath().toString());
        hotspot.setVMOption("HeapDumpOnOutOfMemoryError", "true");
    }

    /** The dumps in the directory, oldest first. */
    public List<Path> dumps() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("heap-")
                            && f.getFileName().toString().endsWith(".hprof"))
                    .sorted(Comparator.comparing((Path f) -> lastModified(f)).thenComparing(Path::toString))
                    .toList();
        }
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            // Owner-only from the start: the dump is written before its own permissions can be narrowed.
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** A name not taken yet: the JVM refuses to write over a file, and so do we. */
    private Path freshName(Instant now) {
        String base = "heap-" + ProcessHandle.current().pid() + "-" + STAMP.format(now);
        Path file = directory.resolve(base + ".hprof");
        for (int n = 1; Files.exists(file); n++) {
            file = directory.resolve(base + "-" + n + ".hprof");
        }
        return file;
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own access rules apply
        }
    }

    private void deleteBeyondRetention() throws IOException {
        List<Path> all = dumps();
        for (int i = 0; i < all.size() - retain; i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings for {@link HeapDumps}, checked as they are set. */
    public static final class Builder {
        private final Path directory;
        private int retain = 3;
        private Duration minInterval = Duration.ofMinutes(10);
        private long reserveBytes = 1L << 30;
        private InstantSource clock = InstantSource.system();
        private LongSupplier estimatedBytes =
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        private Builder(Path directory) {
            this.directory = directory;
        }

        /** How many dumps to keep; older ones are deleted after each capture. */
        public Builder retain(int dumps) {
            if (dumps < 1 || dumps > 100) {
                throw new IllegalArgumentException("keep 1 to 100 heap dumps, not " + dumps);
            }
            this.retain = dumps;
            return this;
        }

        /** The least time between two captures. */
        public Builder minInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the interval between heap dumps cannot be negative: " + interval);
            }
            this.minInterval = interval;
            return this;
        }

        /** Disk space to leave free besides the dump's estimated size. */
        public Builder reserveBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("the disk reserve cannot be negative: " + bytes);
            }
            this.reserveBytes = bytes;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** The expected size of a dump; the heap in use unless a test says otherwise. */
        Builder estimatedBytes(LongSupplier bytes) {
            this.estimatedBytes = bytes;
            return this;
        }

        public HeapDumps build() {
            return new HeapDumps(this);
        }
    }
}
