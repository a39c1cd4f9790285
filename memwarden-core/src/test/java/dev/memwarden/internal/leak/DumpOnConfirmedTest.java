package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.memwarden.alert.Alert;
import dev.memwarden.dump.HeapDumps;
import dev.memwarden.leak.LeakReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The heap dump on CONFIRMED: once an episode, for heap leaks only, and its holders until the verdict is NONE. */
class DumpOnConfirmedTest {
    private static final LeakReport.Holder HOLDER =
            new LeakReport.Holder("static a.Orders.BY_ID", "a HashMap of 9,000 a.Order", "bound it", null);

    private final AtomicInteger dumps = new AtomicInteger();
    private final AtomicInteger analyses = new AtomicInteger();

    private DumpOnConfirmed sink(HeapDumps.Result result) {
        return new DumpOnConfirmed(
                () -> {
                    dumps.incrementAndGet();
                    return result;
                },
                dump -> {
                    analyses.incrementAndGet();
                    return List.of(HOLDER);
                });
    }

    private static Alert leak(LeakReport.Verdict verdict, LeakReport.Suspect... suspects) {
        LeakReport report = new LeakReport(
                verdict, 0.99, Instant.EPOCH, new LeakReport.LiveSet(1, 0, null, null), List.of(suspects));
        return new Alert.Leak(report, LeakReport.Verdict.SUSPECTED);
    }

    private static final LeakReport.Suspect CLASS =
            new LeakReport.GrowingClass("a.Order", 1e6, 1e3, "grew", "find what keeps them");

    @Test
    void aConfirmedHeapLeakIsDumpedOnceAndItsHoldersKeptUntilTheVerdictIsNone() {
        DumpOnConfirmed sink = sink(new HeapDumps.Captured(Path.of("leak.hprof"), 1, Duration.ZERO));

        sink.accept(leak(LeakReport.Verdict.CONFIRMED, CLASS));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.holders().isEmpty());
        sink.accept(leak(LeakReport.Verdict.SUSPECTED, CLASS));
        sink.accept(leak(LeakReport.Verdict.CONFIRMED, CLASS));

        assertThat(sink.holders()).containsExactly(HOLDER);
        assertThat(dumps).hasValue(1);
        assertThat(analyses).hasValue(1);

        sink.accept(leak(LeakReport.Verdict.NONE));
        assertThat(sink.holders()).isEmpty();

        sink.accept(leak(LeakReport.Verdict.CONFIRMED, CLASS));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.holders().isEmpty());
        assertThat(dumps).as("a new episode, a new dump").hasValue(2);
    }

    @Test
    void aLeakOutsideTheHeapTakesNoDump() {
        DumpOnConfirmed sink = sink(new HeapDumps.Captured(Path.of("leak.hprof"), 1, Duration.ZERO));

        sink.accept(leak(
                LeakReport.Verdict.CONFIRMED, new LeakReport.OffHeap("direct buffers", 1e6, null, "grew", "cap them")));

        assertThat(dumps).hasValue(0);
        assertThat(sink.holders()).isEmpty();
    }

    @Test
    void aRefusedDumpIsNotAnalyzed() {
        DumpOnConfirmed sink = sink(new HeapDumps.Refused("the disk keeps too little free"));

        sink.accept(leak(LeakReport.Verdict.CONFIRMED, CLASS));
        await().atMost(Duration.ofSeconds(10)).until(() -> dumps.get() == 1);
        sink.close();

        assertThat(analyses).hasValue(0);
        assertThat(sink.holders()).isEmpty();
    }
}
