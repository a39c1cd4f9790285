package dev.memwarden.bench.scenario;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The floor for reading a dump: a child JVM that reads the file once through a 1 MB buffer and sums its bytes. */
public final class PlainRead {
    private PlainRead() {}

    public static void main(String[] args) throws Exception {
        long sum = 0;
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                while (buffer.remaining() >= 8) {
                    sum += buffer.getLong();
                }
                buffer.compact();
            }
        }
        System.out.println("sum " + sum);
    }
}
