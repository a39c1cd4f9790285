package dev.memwarden.hprof;

import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The analyzer's calls on a dump file, opened and closed around each: the tests' shorthand. */
public final class Dumps {
    public static final AnalysisOptions TOP_10 = AnalysisOptions.defaults();

    private Dumps() {}

    public static HeapAnalysis histogram(Path path) {
        try (HeapDump dump = HeapDump.open(path)) {
            return HeapAnalyzer.histogram(dump, TOP_10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HeapAnalysis analyze(Path path, AnalysisOptions options) {
        try (HeapDump dump = HeapDump.open(path)) {
            return HeapAnalyzer.analyze(dump, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RootPathSearch paths(Path path, List<Long> objectIds) {
        try (HeapDump dump = HeapDump.open(path)) {
            return HeapAnalyzer.pathsFromGcRoots(dump, objectIds, TOP_10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HeapDiff diff(Path before, Path after) {
        try (HeapDump first = HeapDump.open(before);
                HeapDump second = HeapDump.open(after)) {
            return HeapAnalyzer.diff(first, second, TOP_10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs one of the tests' services in a child JVM with a small heap and the Serial collector, as a service with
     * known contents that dumps itself; returns what it printed, or fails the test if it fails.
     */
    public static String dumpedBy(Class<?> service, String... args) throws IOException, InterruptedException {
        return ChildJvm.of(service)
                .options("-Xmx256m", "-XX:+UseSerialGC")
                .args(args)
                .run()
                .expectExit(0)
                .output();
    }
}
