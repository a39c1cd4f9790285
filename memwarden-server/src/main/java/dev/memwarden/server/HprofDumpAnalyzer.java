package dev.memwarden.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.memwarden.dump.DumpAnalyzer;
import dev.memwarden.internal.Json;
import dev.memwarden.leak.LeakReport;
import dev.memwarden.server.internal.api.AnalyzerCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DumpAnalyzer} this module carries: memwarden-hprof's {@code analyze} in a separate JVM with a 256 MB
 * heap, its index spilled beside the dump, never inside the JVM that is short of memory. Its suspects become {@link
 * LeakReport.Holder}s: the static field, collection or object that keeps the most, what it holds, its accumulation
 * point and its path from a GC root. The analysis is kept beside the dump as {@code NAME.analysis.json}.
 *
 * <pre>{@code
 * Memwarden memwarden = Memwarden.builder()
 *         .config(MemwardenConfig.builder().set("memwarden.leak.heapdump", "on").build())
 *         .dumpAnalyzer(new HprofDumpAnalyzer())
 *         .start();
 * }</pre>
 */
public final class HprofDumpAnalyzer implements DumpAnalyzer {
    @Override
    public List<LeakReport.Holder> holders(Path dump) throws IOException, InterruptedException {
        Path directory = dump.toAbsolutePath().getParent();
        if (directory == null) {
            throw new IOException("a heap dump is a file, not " + dump);
        }
        Path report = dump.resolveSibling(dump.getFileName() + ".analysis.json");
        Path errors = dump.resolveSibling(dump.getFileName() + ".analysis.log");
        List<String> command;
        try {
            command = AnalyzerCommand.analyze(dump, directory);
        } catch (IllegalStateException e) {
            throw new IOException(e);
        }
        Process analyzer = new ProcessBuilder(command)
                .redirectOutput(report.toFile())
                .redirectError(errors.toFile())
                .start();
        try {
            int status = analyzer.waitFor();
            if (status != 0) {
                throw new IOException("the analysis of " + dump + " ended with status " + status + "; see " + errors);
            }
        } finally {
            // Interrupted, the analysis must not outlive the one who asked for it.
            analyzer.destroyForcibly();
        }
        Files.deleteIfExists(errors);
        String nextStep = String.format(
                Locale.ROOT,
                "the heap dump and its analysis are in %s: find where this holder is added to and never removed from,"
                        + " and bound it or remove what is done with",
                directory);
        return Json.read(Files.readString(report, StandardCharsets.UTF_8), json -> suspects(json, nextStep));
    }

    /** The analysis's {@code suspects}, each read into a holder; the rest of the analysis is skipped. */
    private static List<LeakReport.Holder> suspects(JsonParser json, String nextStep) throws IOException {
        List<LeakReport.Holder> holders = new ArrayList<>();
        expect(json.nextToken(), JsonToken.START_OBJECT);
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("suspects") && value == JsonToken.START_ARRAY) {
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    holders.add(holder(json, nextStep));
                }
            } else {
                json.skipChildren();
            }
        }
        return holders;
    }

    private static LeakReport.Holder holder(JsonParser json, String nextStep) throws IOException {
        String name = "";
        String summary = "";
        List<String> path = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "holder" -> name = json.getText();
                case "summary" -> summary = json.getText();
                case "pathFromGcRoot" -> path = value == JsonToken.START_OBJECT ? path(json) : null;
                default -> json.skipChildren();
            }
        }
        return new LeakReport.Holder(name, summary, nextStep, path);
    }

    /** A path from a GC root as a report's lines: the root's kind, then one line per step, "via object". */
    private static List<String> path(JsonParser json) throws IOException {
        List<String> lines = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("rootKind")) {
                lines.add(0, "GC root: " + json.getText());
            } else if (field.equals("steps") && value == JsonToken.START_ARRAY) {
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    lines.add(step(json));
                }
            } else {
                json.skipChildren();
            }
        }
        return lines;
    }

    private static String step(JsonParser json) throws IOException {
        @Nullable String via = null;
        String object = "";
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("via")) {
                via = value == JsonToken.VALUE_NULL ? null : json.getText();
            } else if (field.equals("object")) {
                object = json.getText();
            } else {
                json.skipChildren();
            }
        }
        return via == null ? object : via + " " + object;
    }

    private static void expect(@Nullable JsonToken token, JsonToken wanted) {
        if (token != wanted) {
            throw new IllegalArgumentException("an analysis is a JSON object, found " + token);
        }
    }
}
