package dev.memwarden.server.internal.api;

import dev.memwarden.dump.HeapDumps;
import dev.memwarden.internal.Json;
import dev.memwarden.server.internal.http.ApiException;
import dev.memwarden.server.internal.http.Request;
import dev.memwarden.server.internal.http.Response;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /dumps/{name}/analyze} and {@code GET /dumps/{name}/analysis}: a heap dump of the evidence directory
 * analyzed by memwarden-hprof in a separate JVM ({@link AnalyzerCommand}), never inside the JVM that is short of
 * memory. One analysis at a time. Its progress is the last line the analyzer wrote to standard
 * error; its report, the analyzer's JSON, is kept beside the dump as {@code NAME.analysis.json}. The raw dump is never
 * served. No thread waits for the analysis: its state is read from the process and its files when asked.
 */
final class DumpAnalyses implements AutoCloseable {
    private final HeapDumps dumps;
    private @Nullable Running running;

    private record Running(String name, Process process, Path report, Path errors) {}

    DumpAnalyses(HeapDumps dumps) {
        this.dumps = dumps;
    }

    synchronized Response analyze(Request request) throws IOException {
        Path dump = dump(request);
        String name = dump.getFileName().toString();
        Running now = settle();
        if (now != null) {
            throw new ApiException(409, "analysis_running", "one analysis at a time: " + now.name() + " is running");
        }
        Path report = reportOf(dump);
        Path errors = dump.resolveSibling(name + ".analysis.log");
        Path partial = dump.resolveSibling(name + ".analysis.json.part");
        Files.deleteIfExists(report);
        List<String> command;
        try {
            command = AnalyzerCommand.analyze(dump, dumps.directory());
        } catch (IllegalStateException e) {
            throw new ApiException(501, "no_analyzer", String.valueOf(e.getMessage()));
        }
        Process process = new ProcessBuilder(command)
                .redirectOutput(partial.toFile())
                .redirectError(errors.toFile())
                .start();
        running = new Running(name, process, report, errors);
        return Response.json(202, Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("name", name);
            json.writeStringField("state", "RUNNING");
            json.writeStringField("analysis", MemoryEndpoints.BASE + "/dumps/" + name + "/analysis");
            json.writeEndObject();
        }));
    }

    synchronized Response analysis(Request request) throws IOException {
        Path dump = dump(request);
        Running now = settle();
        if (now != null && now.name().equals(dump.getFileName().toString())) {
            String progress = lastLine(now.errors());
            return Response.json(202, Json.write(json -> {
                json.writeStartObject();
                json.writeStringField("state", "RUNNING");
                json.writeStringField("progress", progress);
                json.writeEndObject();
            }));
        }
        Path report = reportOf(dump);
        if (Files.isRegularFile(report)) {
            return Response.ok(Files.readString(report, StandardCharsets.UTF_8));
        }
        Path errors = dump.resolveSibling(dump.getFileName() + ".analysis.log");
        if (Files.isRegularFile(errors)) {
            throw new ApiException(422, "analysis_failed", "the analysis failed: " + lastLine(errors));
        }
        throw ApiException.notFound("no analysis of " + dump.getFileName() + "; POST to its /analyze first");
    }

    /** Ends an analysis under way: its child JVM must not outlive the server that started it. */
    @Override
    public synchronized void close() {
        Running now = running;
        if (now != null) {
            now.process().destroyForcibly();
            running = null;
        }
    }

    /** The analysis under way, after taking in the result of one that has ended. */
    private @Nullable Running settle() throws IOException {
        Running now = running;
        if (now == null || now.process().isAlive()) {
            return now;
        }
        Path partial = now.report().resolveSibling(now.name() + ".analysis.json.part");
        if (now.process().exitValue() == 0) {
            Files.move(partial, now.report(), StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(now.errors());
        } else {
            Files.deleteIfExists(partial);
        }
        running = null;
        return null;
    }

    /** The dump a request names: one the evidence directory lists, by file name alone, never a path. */
    private Path dump(Request request) throws IOException {
        String name = request.pathParameters().getOrDefault("name", "");
        Optional<Path> dump = dumps.dumps().stream()
                .filter(file -> file.getFileName().toString().equals(name))
                .findFirst();
        return dump.orElseThrow(() -> ApiException.notFound("no heap dump named " + name + "; GET /dumps lists them"));
    }

    private static Path reportOf(Path dump) {
        return dump.resolveSibling(dump.getFileName() + ".analysis.json");
    }

    /** The last line of what the analyzer wrote to standard error, read from the file's end. */
    private static String lastLine(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int tail = (int) Math.min(length, 4096);
            byte[] bytes = new byte[tail];
            in.seek(length - tail);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            int cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
            return text.substring(cut + 1);
        }
    }
}
