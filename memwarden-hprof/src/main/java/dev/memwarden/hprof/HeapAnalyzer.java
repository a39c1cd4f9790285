package dev.memwarden.hprof;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/** Analyzes a heap dump file where it lies: memory-mapped, one pass, memory per class rather than per object. */
public final class HeapAnalyzer {
    private HeapAnalyzer() {}

    /**
     * Reads the dump and counts what fills it.
     *
     * @param layout the object layout of the JVM that wrote it, or null to infer it (compressed oops on 64 bits)
     * @param progress told how many bytes of the file were read, about every 64 MB
     */
    public static HeapAnalysis analyze(Path dump, @Nullable ObjectLayout layout, LongConsumer progress) {
        long start = System.nanoTime();
        try (MappedDump mapped = MappedDump.open(dump)) {
            HistogramVisitor histogram = new HistogramVisitor(mapped, layout);
            HprofReader.read(mapped, histogram, progress);
            return new HeapAnalysis.Success(dump, since(start), histogram.histogram());
        } catch (CorruptDumpException e) {
            return new HeapAnalysis.Failure(dump, since(start), e.reason());
        } catch (IOException e) {
            return new HeapAnalysis.Failure(dump, since(start), "cannot read " + dump + ": " + e);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
