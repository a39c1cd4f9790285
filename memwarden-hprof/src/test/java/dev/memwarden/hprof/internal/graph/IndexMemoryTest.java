package dev.memwarden.hprof.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexMemoryTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @Test
    void spilledArraysAreZeroedAndHoldWhatIsWritten(@TempDir Path spill) {
        try (IndexMemory memory = IndexMemory.spilledTo(spill)) {
            IntBuffer ints = memory.ints(1_000_003);
            LongBuffer longs = memory.longs(1_000_003);
            for (int i = 0; i < ints.capacity(); i++) {
                assertThat(ints.get(i)).isZero();
                assertThat(longs.get(i)).isZero();
                ints.put(i, -i);
                longs.put(i, (long) i << 33);
            }
            for (int i = 0; i < ints.capacity(); i += 997) {
                assertThat(ints.get(i)).isEqualTo(-i);
                assertThat(longs.get(i)).isEqualTo((long) i << 33);
            }
        }
    }

    @Test
    void aReleasedArrayIsUnmappedAtOnceAndClosingUnmapsTheRest(@TempDir Path spill) throws IOException {
        assumeTrue(Files.isReadable(MAPS), "reads the process's mappings from /proc, which Linux alone has");
        IndexMemory memory = IndexMemory.spilledTo(spill);
        IntBuffer first = memory.ints(100_000);
        memory.longs(100_000);
        memory.ints(50_000);
        assertThat(mappingsUnder(spill)).isEqualTo(3);
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files).isEmpty(); // deleted as soon as mapped
        }

        memory.release(first);
        assertThat(mappingsUnder(spill)).isEqualTo(2); // no collection needed

        memory.close();
        assertThat(mappingsUnder(spill)).isZero();
    }

    private static long mappingsUnder(Path directory) throws IOException {
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.filter(line -> line.contains(directory.toString())).count();
        }
    }
}
