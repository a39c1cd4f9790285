package dev.memwarden.hprof;

import dev.memwarden.hprof.internal.format.DumpFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An HPROF file opened for analysis, read through a few windows rather than mapped. Open it, hand it to {@link
 * HeapAnalyzer}, close it:
 *
 * <pre>{@code
 * try (HeapDump dump = HeapDump.open(Path.of("orders.hprof"))) {
 *     HeapAnalysis analysis = HeapAnalyzer.analyze(dump, AnalysisOptions.defaults());
 * }
 * }</pre>
 */
public final class HeapDump implements AutoCloseable {
    private final DumpFile file;

    private HeapDump(DumpFile file) {
        this.file = file;
    }

    /**
     * Opens a dump for reading.
     *
     * @throws IOException naming the file, when it cannot be opened
     */
    public static HeapDump open(Path path) throws IOException {
        return new HeapDump(DumpFile.open(path));
    }

    public Path path() {
        return file.path();
    }

    /** Its size in bytes. */
    public long size() {
        return file.size();
    }

    DumpFile file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
