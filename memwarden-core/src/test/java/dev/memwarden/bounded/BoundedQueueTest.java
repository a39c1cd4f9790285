package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedQueueTest {
    @TempDir
    Path dir;

    private BoundedQueue<String> queue(BoundedQueue.Overflow overflow, int capacity) {
        return BoundedQueue.<String>builder()
                .name("q")
                .capacity(capacity)
                .overflow(overflow)
                .build();
    }

    private BoundedQueue<String> spilling(int capacity, long maxBytes) {
        return BoundedQueue.<String>builder()
                .name("dead-letters")
                .capacity(capacity)
                .overflow(BoundedQueue.Overflow.SPILL)
                .spillTo(dir, BoundedQueue.Codec.utf8())
                .spillMaxBytes(maxBytes)
                .segmentBytes(1024)
                .build();
    }

    private static List<String> drainAll(BoundedQueue<String> queue) {
        List<String> out = new ArrayList<>();
        queue.drain(out::add, Integer.MAX_VALUE);
        return out;
    }

    @Test
    void dropOldestMakesRoom() {
        BoundedQueue<String> q = queue(BoundedQueue.Overflow.DROP_OLDEST, 3);
        for (String s : List.of("a", "b", "c", "d", "e")) {
            assertThat(q.offer(s)).isTrue();
        }
        assertThat(drainAll(q)).containsExactly("c", "d", "e");
        assertThat(q.stats().dropped()).isEqualTo(2);
    }

    @Test
    void dropNewestAndRejectRefuseTheNewcomerAndCountIt() {
        BoundedQueue<String> dropNewest = queue(BoundedQueue.Overflow.DROP_NEWEST, 2);
        BoundedQueue<String> reject = queue(BoundedQueue.Overflow.REJECT, 2);
        for (String s : List.of("a", "b", "c")) {
            dropNewest.offer(s);
            reject.offer(s);
        }
        assertThat(dropNewest.offer("d")).isFalse();
        assertThat(reject.offer("d")).isFalse();

        assertThat(drainAll(dropNewest)).containsExactly("a", "b");
        assertThat(drainAll(reject)).containsExactly("a", "b");
        assertThat(dropNewest.stats().dropped()).isEqualTo(2);
        assertThat(reject.stats().rejected()).isEqualTo(2);
        assertThat(reject.stats().dropped()).isZero();
    }

    @Test
    void drainHandsOverAtMostTheLimitInOrder() {
        BoundedQueue<String> q = queue(BoundedQueue.Overflow.REJECT, 10);
        for (int i = 0; i < 10; i++) {
            q.offer("e" + i);
        }
        List<String> out = new ArrayList<>();
        assertThat(q.drain(out::add, 4)).isEqualTo(4);
        assertThat(out).containsExactly("e0", "e1", "e2", "e3");
        assertThat(q.poll()).isEqualTo("e4");
        assertThat(q.size()).isEqualTo(5);
    }

    @Test
    void spillKeepsOrderAcrossMemoryAndDiskAndGivesTheDiskBack() throws IOException {
        try (BoundedQueue<String> q = spilling(5, 1 << 20)) {
            for (int i = 0; i < 200; i++) {
                assertThat(q.offer("item-" + i)).isTrue();
            }
            assertThat(q.size()).isEqualTo(200);
            assertThat(q.stats().spilled()).isEqualTo(195);
            assertThat(segments()).hasSizeGreaterThan(1);

            // Interleave consumption and production: order still holds.
            List<String> out = new ArrayList<>();
            q.drain(out::add, 50);
            for (int i = 200; i < 220; i++) {
                q.offer("item-" + i);
            }
            out.addAll(drainAll(q));

            assertThat(out).hasSize(220);
            for (int i = 0; i < 220; i++) {
                assertThat(out.get(i)).isEqualTo("item-" + i);
            }
            assertThat(q.stats().onDisk()).isZero();
            assertThat(q.stats().spillBytes()).isZero();
            assertThat(segments()).isEmpty();
        }
    }

    @Test
    void theSpillBudgetIsHeldAndOverflowBeyondItIsRejected() throws IOException {
        try (BoundedQueue<String> q = spilling(2, 4096)) {
            int accepted = 0;
            for (int i = 0; i < 1000; i++) {
                if (q.offer("element-with-some-payload-" + i)) {
                    accepted++;
                }
            }
            BoundedQueue.Stats stats = q.stats();
            assertThat(stats.spillBytes()).isLessThanOrEqualTo(4096);
            assertThat(directoryBytes()).isLessThanOrEqualTo(4096 + 64); // + read.pos
            assertThat(stats.rejected()).isEqualTo(1000 - accepted);
            assertThat(accepted).isEqualTo(q.size());
        }
    }

    @Test
    void aCleanRestartResumesWhereReadingStopped() throws IOException {
        try (BoundedQueue<String> q = spilling(3, 1 << 20)) {
            for (int i = 0; i < 100; i++) {
                q.offer("item-" + i);
            }
            List<String> read = new ArrayList<>();
            q.drain(read::add, 40);
            assertThat(read).last().isEqualTo("item-39");
        }
        // Items 40..42 were in memory and are gone; the 97 that spilled come back, minus the 37 read.
        try (BoundedQueue<String> q = spilling(3, 1 << 20)) {
            List<String> rest = drainAll(q);
            assertThat(rest).first().isEqualTo("item-43");
            assertThat(rest).last().isEqualTo("item-99");
            assertThat(rest).hasSize(57);
            assertThat(q.stats().recovered()).isEqualTo(57);
        }
    }

    @Test
    void aTornTailIsDetectedAndSkipped() throws IOException {
        try (BoundedQueue<String> q = spilling(1, 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                q.offer("item-" + i);
            }
        }
        // A crash mid-write: a header that promises 100 bytes, followed by 10.
        Path newest = segments().get(segments().size() - 1);
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.APPEND)) {
            ByteBuffer torn = ByteBuffer.allocate(18).putInt(100).putInt(12345).put(new byte[10]);
            torn.flip();
            channel.write(torn);
        }

        try (BoundedQueue<String> q = spilling(1, 1 << 20)) {
            assertThat(q.stats().tornTailsSkipped()).isEqualTo(1);
            List<String> items = drainAll(q);
            assertThat(items).hasSize(9);
            assertThat(items).first().isEqualTo("item-1");
            assertThat(items).last().isEqualTo("item-9");
            // And the queue goes on working.
            q.offer("after");
            assertThat(q.poll()).isEqualTo("after");
        }
    }

    @Test
    void aCorruptRecordSkipsTheRestOfItsSegmentOnly() throws IOException {
        try (BoundedQueue<String> q = spilling(1, 1 << 20)) {
            for (int i = 0; i < 200; i++) {
                q.offer("item-" + i);
            }
        }
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Path first = segments.get(0);
        // Flip a payload byte of the second record of the first segment.
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long secondPayload = 8 + (8 + "item-1".length()) + 8;
            channel.write(ByteBuffer.wrap(new byte[] {'X'}), secondPayload);
        }

        try (BoundedQueue<String> q = spilling(1, 1 << 20)) {
            List<Integer> items = drainAll(q).stream()
                    .map(s -> Integer.parseInt(s.substring("item-".length())))
                    .toList();
            // item-0 was in memory; item-1 precedes the bad record; the rest of that segment is skipped.
            assertThat(items).startsWith(1).doesNotContain(2).contains(199);
            assertThat(items).isSorted().hasSizeLessThan(199);
        }
    }

    @Test
    void theSpillDirectoryIsOwnerOnly() throws IOException {
        Path spillDir = dir.resolve("nested/spill");
        try (BoundedQueue<String> q = BoundedQueue.<String>builder()
                .capacity(1)
                .overflow(BoundedQueue.Overflow.SPILL)
                .spillTo(spillDir, BoundedQueue.Codec.utf8())
                .build()) {
            q.offer("a");
            q.offer("b");
            assertThat(Files.getPosixFilePermissions(spillDir))
                    .containsExactlyInAnyOrder(
                            PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
        }
    }

    @Test
    void concurrentProducersAndConsumersLoseNothingUnderSpill() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        ConcurrentLinkedQueue<String> consumed = new ConcurrentLinkedQueue<>();
        try (BoundedQueue<String> q = spilling(50, 64L << 20)) {
            ExecutorService pool = Executors.newFixedThreadPool(2 * producers + 1);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        assertThat(q.offer(producer + ":" + i)).isTrue();
                    }
                    return null;
                }));
            }
            CountDownLatch producersDone = new CountDownLatch(producers);
            futures.forEach(f -> pool.submit(() -> {
                f.get();
                producersDone.countDown();
                return null;
            }));
            // One consumer: drain hands elements over outside the lock, so two consumers' batches could interleave.
            pool.submit(() -> {
                start.await();
                while (producersDone.getCount() > 0 || q.size() > 0) {
                    q.drain(consumed::add, 100);
                }
                return null;
            });
            start.countDown();
            assertThat(producersDone.await(120, TimeUnit.SECONDS)).isTrue();
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

            assertThat(consumed).hasSize(producers * perProducer);
            assertThat(consumed).doesNotHaveDuplicates();
            // Per producer, elements come out in the order they went in.
            for (int p = 0; p < producers; p++) {
                String prefix = p + ":";
                List<Integer> order = consumed.stream()
                        .filter(s -> s.startsWith(prefix))
                        .map(s -> Integer.parseInt(s.substring(prefix.length())))
                        .toList();
                assertThat(order).isSorted().hasSize(perProducer);
            }
            BoundedQueue.Stats stats = q.stats();
            assertThat(stats.offered()).isEqualTo(producers * perProducer);
            assertThat(stats.dropped() + stats.rejected()).isZero();
            assertThat(stats.spilled()).isPositive();
        }
    }

    @Test
    void concurrentOffersNeverExceedTheCapacityAndCountersAddUp() throws Exception {
        BoundedQueue<Integer> q = BoundedQueue.<Integer>builder()
                .capacity(100)
                .overflow(BoundedQueue.Overflow.DROP_OLDEST)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        AtomicLong polled = new AtomicLong();
        for (int t = 0; t < 8; t++) {
            boolean consumer = t % 4 == 0;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (consumer) {
                        if (q.poll() != null) {
                            polled.incrementAndGet();
                        }
                    } else {
                        q.offer(i);
                    }
                    assertThat(q.size()).isLessThanOrEqualTo(100);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        BoundedQueue.Stats stats = q.stats();
        assertThat(stats.offered()).isEqualTo(6 * 20_000);
        assertThat(stats.offered()).isEqualTo(stats.dropped() + polled.get() + q.size());
    }

    @Test
    void misconfigurationIsRefusedWithAReason() {
        assertThatThrownBy(() -> BoundedQueue.<String>builder()
                        .capacity(1)
                        .overflow(BoundedQueue.Overflow.SPILL)
                        .build())
                .hasMessageContaining("SPILL needs spillTo(directory, codec)");
        assertThatThrownBy(() -> BoundedQueue.<String>builder().build()).hasMessageContaining("needs a capacity");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-"))
                    .sorted()
                    .toList();
        }
    }

    private long directoryBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path p : files.toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
