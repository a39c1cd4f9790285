package dev.memwarden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RingBufferTest {
    @Test
    void keepsTheNewestAndOverwritesTheOldest() {
        RingBuffer<Integer> buffer =
                RingBuffer.builder().name("metrics").capacity(3).build();
        assertThat(buffer.add(1)).isNull();
        assertThat(buffer.add(2)).isNull();
        assertThat(buffer.add(3)).isNull();
        assertThat(buffer.add(4)).isEqualTo(1);

        assertThat(buffer.snapshot()).containsExactly(2, 3, 4);
        assertThat(buffer.newest()).isEqualTo(4);
        assertThat(buffer.overwritten()).isEqualTo(1);
        Tracked.State described = buffer.describe();
        assertThat(described.size()).isEqualTo(3);
        assertThat(described.capacity()).hasValue(3);
        assertThat(described.counter("added")).isEqualTo(4);
    }

    @Test
    void aMillionAddsNeverHoldMoreThanTheCapacity() {
        RingBuffer<byte[]> buffer = RingBuffer.builder().capacity(100).build();
        for (int i = 0; i < 1_000_000; i++) {
            buffer.add(new byte[16]);
        }
        assertThat(buffer.size()).isEqualTo(100);
        assertThat(buffer.snapshot()).hasSize(100);
        assertThat(buffer.overwritten()).isEqualTo(1_000_000 - 100);
    }

    @Test
    void concurrentWritersKeepTheBoundAndTheCounts() throws Exception {
        RingBuffer<Long> buffer = RingBuffer.builder().capacity(64).build();
        int threads = 8;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = (long) t * perThread;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    buffer.add(base + i);
                    assertThat(buffer.size()).isLessThanOrEqualTo(64);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(buffer.size()).isEqualTo(64);
        assertThat(buffer.describe().counter("added")).isEqualTo((long) threads * perThread);
        assertThat(buffer.overwritten()).isEqualTo((long) threads * perThread - 64);
        // Each writer's elements appear in the order it added them.
        List<Long> kept = buffer.snapshot();
        for (int t = 0; t < threads; t++) {
            long low = (long) t * perThread;
            List<Long> own =
                    kept.stream().filter(v -> v >= low && v < low + perThread).toList();
            assertThat(own).isSorted();
        }
    }

    @Test
    void theBuilderSaysWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> RingBuffer.builder().build()).hasMessageContaining("needs a capacity");
        assertThatThrownBy(() -> RingBuffer.builder().capacity(0)).hasMessageContaining("1 to 100000000");
    }
}
