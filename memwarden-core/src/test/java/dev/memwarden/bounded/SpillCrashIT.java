package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spilling queue in a child JVM killed with SIGKILL mid-stream; a new queue on the same directory recovers. */
class SpillCrashIT {
    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedAsSpilledIsLostAndATornTailIsSkipped() throws IOException, InterruptedException {
        Process writer = ChildJvm.of(SpillWriterProbe.class)
                .options("-Xmx64m")
                .args(dir.toString())
                .start();

        List<Integer> acknowledged = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && acknowledged.size() < 20_000) {
                acknowledged.add(Integer.parseInt(line.split(" ", -1)[1]));
            }
            writer.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSize(20_000);

        // As if the kill had landed in the middle of a write: half a record at the end of the newest segment.
        Path newest = segments().get(segments().size() - 1);
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.APPEND)) {
            channel.write(
                    ByteBuffer.allocate(12).putInt(64).putInt(0xCAFE).putInt(7).flip());
        }

        try (BoundedQueue<String> recovered = BoundedQueue.<String>builder()
                .capacity(10)
                .overflow(BoundedQueue.Overflow.SPILL)
                .spillTo(dir, BoundedQueue.Codec.utf8())
                .build()) {
            assertThat(recovered.stats().tornTailsSkipped()).isEqualTo(1);
            List<Integer> items = new ArrayList<>();
            recovered.drain(s -> items.add(Integer.parseInt(s.substring("item-".length()))), Integer.MAX_VALUE);

            assertThat(items).isSorted().doesNotHaveDuplicates();
            assertThat(items).containsAll(acknowledged);
            // The first ten elements were held in memory, never on disk.
            assertThat(items).first().isEqualTo(10);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-"))
                    .sorted()
                    .toList();
        }
    }
}
