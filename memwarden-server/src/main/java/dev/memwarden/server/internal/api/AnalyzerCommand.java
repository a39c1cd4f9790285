package dev.memwarden.server.internal.api;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs memwarden-hprof's {@code analyze --json} on a dump in a separate JVM with a small heap and its
 * index spilled to disk: never inside the JVM that is short of memory. Its class path is where the analyzer's classes
 * and jackson-core are in this JVM (two jars, or the modules' class directories in a build), found by resource,
 * without loading either.
 */
public final class AnalyzerCommand {
    /** The analyzer's heap: its index goes to files beside the dump when it does not fit. */
    static final String ANALYZER_HEAP = "-Xmx256m";

    private static final String ANALYZER = "dev.memwarden.hprof.cli.HprofMain";

    private AnalyzerCommand() {}

    /**
     * The command that analyzes {@code dump}, spilling its index to {@code spillDirectory}.
     *
     * @throws IllegalStateException naming what is missing, when memwarden-hprof is not on this JVM's class path
     */
    public static List<String> analyze(Path dump, Path spillDirectory) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ANALYZER_HEAP,
                "-cp",
                classPath(),
                ANALYZER,
                "analyze",
                dump.toString(),
                "--json",
                "--spill",
                spillDirectory.toString());
    }

    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String resource :
                List.of(ANALYZER.replace('.', '/') + ".class", "com/fasterxml/jackson/core/JsonFactory.class")) {
            URL url = AnalyzerCommand.class.getClassLoader().getResource(resource);
            if (url == null) {
                throw new IllegalStateException("memwarden-hprof is not on this JVM's class path");
            }
            entries.add(location(url, resource));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(URL url, String resource) {
        try {
            String text = url.toString();
            if (text.startsWith("jar:")) {
                return Path.of(new URL(text.substring(4, text.indexOf("!/"))).toURI())
                        .toString();
            }
            // A class directory: the resource's path, one level a segment, leads back to its root.
            Path file = Path.of(url.toURI());
            for (int i = 0; i < resource.split("/", -1).length && file != null; i++) {
                file = file.getParent();
            }
            if (file == null) {
                throw new IllegalStateException("cannot locate memwarden-hprof from " + url);
            }
            return file.toString();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalStateException("cannot locate memwarden-hprof from " + url, e);
        }
    }
}
