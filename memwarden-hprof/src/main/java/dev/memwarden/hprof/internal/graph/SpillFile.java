package dev.memwarden.hprof.internal.graph;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * A temporary file mapped into memory to hold one spilled array: deleted as soon as it is mapped, so that nothing is
 * left behind whatever ends the process, and unmapped the moment it is closed rather than when the collector finds
 * its buffer, since a mapping's pages count in the resident set for as long as it is mapped and a small heap may not
 * collect for minutes.
 *
 * <p>From Java 22 the mapping belongs to a {@code java.lang.foreign.Arena}, whose closing unmaps it and makes a later
 * access throw. Before, {@code sun.misc.Unsafe.invokeCleaner} unmaps it, as Lucene and Kafka did on those versions
 * (Java 24 on warn that it will go), and a later access would crash the JVM: nothing may read a closed file's buffer.
 * Both are reached through method handles, so that the code compiles for Java 17.
 */
final class SpillFile implements AutoCloseable {
    /** {@code Arena.ofShared()}, as an {@link AutoCloseable}; null before Java 22. */
    private static final @Nullable MethodHandle OPEN_ARENA;
    /** {@code channel.map(mode, offset, size, arena).asByteBuffer()}; null before Java 22. */
    private static final @Nullable MethodHandle MAP_IN_ARENA;
    /** {@code Unsafe.invokeCleaner(buffer)}; null from Java 22, or where the JVM has no {@code jdk.unsupported}. */
    private static final @Nullable MethodHandle INVOKE_CLEANER;

    static {
        MethodHandle openArena = null;
        MethodHandle mapInArena = null;
        if (Runtime.version().feature() >= 22) {
            try {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                openArena = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena))
                        .asType(MethodType.methodType(AutoCloseable.class));
                mapInArena = MethodHandles.filterReturnValue(
                                lookup.findVirtual(
                                        FileChannel.class,
                                        "map",
                                        MethodType.methodType(
                                                segment, FileChannel.MapMode.class, long.class, long.class, arena)),
                                lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class)))
                        .asType(MethodType.methodType(
                                ByteBuffer.class,
                                FileChannel.class,
                                FileChannel.MapMode.class,
                                long.class,
                                long.class,
                                AutoCloseable.class));
            } catch (ReflectiveOperationException e) {
                openArena = null;
                mapInArena = null;
            }
        }
        OPEN_ARENA = openArena;
        MAP_IN_ARENA = mapInArena;
        INVOKE_CLEANER = mapInArena == null ? invokeCleaner() : null;
    }

    /** The whole file, zeroed at creation; its views are what the analyzer works on. */
    final ByteBuffer buffer;

    private final @Nullable AutoCloseable arena;

    private SpillFile(ByteBuffer buffer, @Nullable AutoCloseable arena) {
        this.buffer = buffer;
        this.arena = arena;
    }

    /** A new file of {@code size} bytes in the directory, zeroed, mapped and already deleted. */
    static SpillFile create(Path directory, int size) throws IOException {
        Path file;
        try {
            file = Files.createTempFile(
                    directory,
                    "memwarden-hprof-",
                    ".index",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            file = Files.createTempFile(directory, "memwarden-hprof-", ".index"); // not a POSIX file system
        }
        // Deleted on close; the mapping outlives the channel and keeps the file's pages until it is unmapped.
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
            MethodHandle openArena = OPEN_ARENA;
            MethodHandle mapInArena = MAP_IN_ARENA;
            if (openArena == null || mapInArena == null) {
                return new SpillFile(channel.map(FileChannel.MapMode.READ_WRITE, 0, size), null);
            }
            AutoCloseable arena = (AutoCloseable) openArena.invokeExact();
            return new SpillFile(
                    (ByteBuffer)
                            mapInArena.invokeExact(channel, FileChannel.MapMode.READ_WRITE, 0L, (long) size, arena),
                    arena);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot map a spilled array", e);
        }
    }

    /** Unmaps the file, whose pages the system then frees; its buffer and every view of it may not be read after. */
    @Override
    public void close() {
        try {
            if (arena != null) {
                arena.close();
            } else if (INVOKE_CLEANER != null) {
                INVOKE_CLEANER.invokeExact(buffer);
            } // else the collector unmaps it, some time after the buffer is unreachable
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot unmap a spilled array", e);
        }
    }

    private static @Nullable MethodHandle invokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // no jdk.unsupported
        }
    }
}
