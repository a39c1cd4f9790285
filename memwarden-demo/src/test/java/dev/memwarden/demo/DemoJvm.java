package dev.memwarden.demo;

import dev.memwarden.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A child JVM as {@code ./memwarden demo} starts one: a small heap and a small JFR buffer, G1 unless told. */
public final class DemoJvm {
    /** The demo's heap. */
    public static final String HEAP = "-Xmx128m";

    /** The demo's JVM options but the collector, as the launcher passes them. */
    public static final List<String> OPTIONS = List.of(HEAP, "-XX:FlightRecorderOptions=memorysize=1m,stackdepth=32");

    private DemoJvm() {}

    /**
     * Runs {@code main} with the demo's options under G1, its output to {@code log}; returns the output once it has
     * ended with status 0, within {@code run} and 90 s.
     */
    static String runToEnd(Path log, Duration run, Class<?> main, String... arguments)
            throws IOException, InterruptedException {
        return ChildJvm.of(main)
                .options(OPTIONS)
                .options("-XX:+UseG1GC")
                .args(arguments)
                .logTo(log)
                .timeout(run.plusSeconds(90))
                .run()
                .expectExit(0)
                .output();
    }
}
