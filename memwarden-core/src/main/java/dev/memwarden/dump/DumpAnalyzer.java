package dev.memwarden.dump;

import dev.memwarden.leak.LeakReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What names the holder of a confirmed heap leak from a heap dump, plugged in by whatever carries an analyzer
 * (memwarden-server's runs memwarden-hprof in a separate JVM): core takes the dump on CONFIRMED when {@code
 * memwarden.leak.heapdump} is on and adds what this returns to the leak report, first among the suspects. It runs on
 * a thread of its own, never the sampler's; it should never analyze inside the JVM that is short of memory.
 */
@FunctionalInterface
public interface DumpAnalyzer {
    /**
     * The objects and fields that keep the most of the heap in {@code dump}, largest first.
     *
     * @throws IOException if the dump cannot be read or the analysis fails
     */
    List<LeakReport.Holder> holders(Path dump) throws IOException, InterruptedException;
}
