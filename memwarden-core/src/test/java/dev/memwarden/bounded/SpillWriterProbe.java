package dev.memwarden.bounded;

import java.nio.file.Path;

/**
 * Runs in a child JVM for {@link SpillCrashIT}: offers elements to a spilling queue as fast as it can and prints
 * {@code ack N spilled} once offer has returned for an element that went to disk, until it is killed.
 */
public final class SpillWriterProbe {
    private SpillWriterProbe() {}

    public static void main(String[] args) {
        BoundedQueue<String> queue = BoundedQueue.<String>builder()
                .name("dead-letters")
                .capacity(10)
                .overflow(BoundedQueue.Overflow.SPILL)
                .spillTo(Path.of(args[0]), BoundedQueue.Codec.utf8())
                .segmentBytes(8192)
                .build();
        long spilledBefore = 0;
        for (int i = 0; i < 10_000_000; i++) {
            if (!queue.offer("item-" + i)) {
                throw new IllegalStateException("offer refused item-" + i);
            }
            long spilled = queue.stats().spilled();
            if (spilled > spilledBefore) {
                System.out.println("ack " + i + " spilled");
                spilledBefore = spilled;
            }
        }
    }
}
