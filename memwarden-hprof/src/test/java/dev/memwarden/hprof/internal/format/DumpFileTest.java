package dev.memwarden.hprof.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading through windows gives what the file holds, wherever a value lies and in whatever order it is read. */
class DumpFileTest {
    /** 20 MiB: more windows than slots, so that windows are evicted and read again. */
    private static final int SIZE = 20 << 20;

    @TempDir
    Path temp;

    @Test
    void valuesAcrossWindowsAndAfterEvictionReadAsWritten() throws Exception {
        byte[] content = new byte[SIZE];
        new Random(42).nextBytes(content);
        Path file = temp.resolve("random.bin");
        Files.write(file, content);
        ByteBuffer expected = ByteBuffer.wrap(content); // big-endian, as HPROF

        Random offsets = new Random(7);
        try (DumpFile dump = DumpFile.open(file)) {
            assertThat(dump.size()).isEqualTo(SIZE);
            for (int window = 1; window < SIZE / DumpFile.WINDOW; window++) {
                for (int back = 1; back <= 8; back++) { // every value that starts before a window's end and crosses it
                    int at = window * DumpFile.WINDOW - back;
                    assertThat(dump.u8(at)).isEqualTo(expected.getLong(at));
                    assertThat(dump.u4(at)).isEqualTo(expected.getInt(at) & 0xffff_ffffL);
                    assertThat(dump.u2(at)).isEqualTo(expected.getShort(at) & 0xffff);
                }
            }
            for (int i = 0; i < 20_000; i++) {
                int at = offsets.nextInt(SIZE - 8);
                assertThat(dump.id(at, 8)).isEqualTo(expected.getLong(at));
                assertThat(dump.id(at, 4)).isEqualTo(expected.getInt(at) & 0xffff_ffffL);
                assertThat(dump.u1(at)).isEqualTo(content[at] & 0xff);
            }
            assertThat(dump.u1(SIZE - 1)).isEqualTo(content[SIZE - 1] & 0xff);
            assertThat(dump.bytes(SIZE - 100, 100)).containsExactly(Arrays.copyOfRange(content, SIZE - 100, SIZE));
        }
    }

    @Test
    void zeroingReachesTheFileAndWhatWasReadBefore() throws Exception {
        byte[] content = new byte[3 << 20];
        Arrays.fill(content, (byte) 0x5a);
        Path file = temp.resolve("fives.bin");
        Files.write(file, content);
        int from = DumpFile.WINDOW - 3; // across the end of the first window
        try (DumpFile dump = DumpFile.openWritable(file)) {
            assertThat(dump.u8(from)).isNotZero(); // both windows now held
            assertThat(dump.u8(DumpFile.WINDOW)).isNotZero();
            dump.zero(from, 200_000);
            dump.force();
            assertThat(dump.u8(from)).isZero();
            assertThat(dump.u8(DumpFile.WINDOW)).isZero();
            assertThat(dump.u1(from - 1)).isEqualTo(0x5a);
            assertThat(dump.u1(from + 200_000)).isEqualTo(0x5a);
        }
        byte[] written = Files.readAllBytes(file);
        assertThat(written[from - 1]).isEqualTo((byte) 0x5a);
        assertThat(Arrays.copyOfRange(written, from, from + 200_000)).containsOnly((byte) 0);
        assertThat(written[from + 200_000]).isEqualTo((byte) 0x5a);
    }
}
