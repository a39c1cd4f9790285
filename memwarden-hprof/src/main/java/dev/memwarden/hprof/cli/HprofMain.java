package dev.memwarden.hprof.cli;

import dev.memwarden.hprof.AnalysisOptions;
import dev.memwarden.hprof.HeapAnalysis;
import dev.memwarden.hprof.HeapAnalyzer;
import dev.memwarden.hprof.HeapDiff;
import dev.memwarden.hprof.HeapDump;
import dev.memwarden.hprof.ObjectLayout;
import dev.memwarden.hprof.Progress;
import dev.memwarden.hprof.Redaction;
import dev.memwarden.hprof.RootPathSearch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The command line: {@code analyze DUMP} for the histogram, dominators and leak suspects; {@code path DUMP ID...} for
 * the paths from GC roots to chosen objects; {@code diff BEFORE AFTER} for what grew; {@code redact DUMP COPY} for a
 * copy that can be shared (see {@link #USAGE}). The report goes to standard output, progress to standard error; exit status 0 when the
 * dump was analyzed, 2 with a message when it could not be (a missing, corrupt or truncated file, a wrong command
 * line), as grep does.
 */
public final class HprofMain {
    static final String USAGE =
            """
            usage: memwarden-hprof analyze DUMP [--json] [--top N] [--histogram-only] [OPTIONS]
                   memwarden-hprof path DUMP OBJECT_ID... [--json] [OPTIONS]
                   memwarden-hprof diff BEFORE AFTER [--json] [--top N] [OPTIONS]
                   memwarden-hprof redact DUMP COPY
            options: --layout compressed|uncompressed   the object layout of the JVM that wrote the dump
                     --spill DIR   keep the index in memory-mapped files in DIR rather than the heap (by default it
                                   is spilled to the temporary directory only if the heap is too small for it)"""
                    .stripIndent();

    private HprofMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !List.of("analyze", "path", "diff", "redact").contains(args[0])) {
            err.println(args.length == 0 ? USAGE : "unknown command '" + args[0] + "'\n" + USAGE);
            return 2;
        }
        String command = args[0];
        if (command.equals("redact")) {
            return redact(args, err);
        }
        int dumps = command.equals("diff") ? 2 : 1;
        if (args.length < 1 + dumps) {
            err.println(command + " needs " + (dumps == 2 ? "two dump files" : "a dump file") + "\n" + USAGE);
            return 2;
        }
        Options options = new Options();
        String problem = options.parse(args, 1 + dumps);
        if (problem != null) {
            err.println(problem + "\n" + USAGE);
            return 2;
        }
        for (int i = 1; i <= dumps; i++) {
            if (!Files.isRegularFile(Path.of(args[i]))) {
                err.println("no such dump file: " + args[i]);
                return 2;
            }
        }
        if (options.histogramOnly && !command.equals("analyze")) {
            err.println("--histogram-only is an option of analyze\n" + USAGE);
            return 2;
        }
        if (!options.operands.isEmpty() && !command.equals("path")) {
            err.println("unexpected argument '" + options.operands.get(0) + "'\n" + USAGE);
            return 2;
        }
        Path dump = Path.of(args[1]);
        Progress progress = new ProgressLine(err, dump.getFileName().toString());
        return switch (command) {
            case "diff" -> diff(dump, Path.of(args[2]), options, progress, out, err);
            case "path" -> path(dump, options, progress, out, err);
            default -> analyze(dump, options, progress, out, err);
        };
    }

    private static int analyze(Path path, Options options, Progress progress, PrintStream out, PrintStream err) {
        HeapAnalysis analysis;
        try (HeapDump dump = HeapDump.open(path)) {
            analysis = options.histogramOnly
                    ? HeapAnalyzer.histogram(dump, options.analysis(progress))
                    : HeapAnalyzer.analyze(dump, options.analysis(progress));
        } catch (IOException e) {
            return cannotRead(path, e, err);
        }
        if (analysis instanceof HeapAnalysis.Success success) {
            out.print(options.json ? success.toJson(options.top) + "\n" : success.describe(options.top));
            err.printf(Locale.ROOT, "analyzed in %d ms%n", success.took().toMillis());
            return 0;
        }
        err.println("cannot analyze " + path + ": " + ((HeapAnalysis.Failure) analysis).reason());
        return 2;
    }

    private static int path(Path path, Options options, Progress progress, PrintStream out, PrintStream err) {
        if (options.operands.isEmpty()) {
            err.println("path needs at least one object identifier\n" + USAGE);
            return 2;
        }
        List<Long> objectIds = new ArrayList<>();
        for (String operand : options.operands) {
            Long id = objectId(operand);
            if (id == null) {
                err.println("not an object identifier: '" + operand + "' (0x1f2e3d or decimal)\n" + USAGE);
                return 2;
            }
            objectIds.add(id);
        }
        RootPathSearch search;
        try (HeapDump dump = HeapDump.open(path)) {
            search = HeapAnalyzer.pathsFromGcRoots(dump, objectIds, options.analysis(progress));
        } catch (IOException e) {
            return cannotRead(path, e, err);
        }
        if (search instanceof RootPathSearch.Success success) {
            out.print(options.json ? success.toJson() + "\n" : success.describe());
            err.printf(Locale.ROOT, "searched in %d ms%n", success.took().toMillis());
            return 0;
        }
        err.println("cannot search " + path + ": " + ((RootPathSearch.Failure) search).reason());
        return 2;
    }

    private static int diff(
            Path before, Path after, Options options, Progress progress, PrintStream out, PrintStream err) {
        HeapDiff diff;
        try (HeapDump first = HeapDump.open(before);
                HeapDump second = HeapDump.open(after)) {
            diff = HeapAnalyzer.diff(first, second, options.analysis(progress));
        } catch (IOException e) {
            return cannotRead(before + " or " + after, e, err);
        }
        if (diff instanceof HeapDiff.Success success) {
            out.print(options.json ? success.toJson() + "\n" : success.describe());
            err.printf(Locale.ROOT, "compared in %d ms%n", success.took().toMillis());
            return 0;
        }
        err.println("cannot compare " + before + " and " + after + ": " + ((HeapDiff.Failure) diff).reason());
        return 2;
    }

    private static int cannotRead(Object what, IOException e, PrintStream err) {
        err.println("cannot read " + what + ": " + e.getMessage());
        return 2;
    }

    private static int redact(String[] args, PrintStream err) {
        if (args.length != 3) {
            err.println("redact needs the dump and the file to write, and nothing else\n" + USAGE);
            return 2;
        }
        Path source = Path.of(args[1]);
        if (!Files.isRegularFile(source)) {
            err.println("no such dump file: " + source);
            return 2;
        }
        Redaction redaction = HeapAnalyzer.redact(
                source,
                Path.of(args[2]),
                new ProgressLine(err, source.getFileName().toString()));
        if (redaction instanceof Redaction.Success success) {
            err.printf(
                    Locale.ROOT,
                    "wrote %s: %,d primitive arrays zeroed, %,d bytes, in %d ms%n",
                    success.target(),
                    success.arrays(),
                    success.bytesZeroed(),
                    success.took().toMillis());
            return 0;
        }
        err.println("cannot redact " + source + ": " + ((Redaction.Failure) redaction).reason());
        return 2;
    }

    /** What follows the command and its dumps: options, and operands such as the object identifiers of {@code path}. */
    private static final class Options {
        boolean json;
        boolean histogramOnly;
        int top = 25;

        @Nullable
        ObjectLayout layout;

        @Nullable
        Path spill;

        final List<String> operands = new ArrayList<>();

        AnalysisOptions analysis(Progress progress) {
            return AnalysisOptions.defaults()
                    .withLayout(layout)
                    .withTop(top)
                    .withSpillDirectory(spill)
                    .withProgress(progress);
        }

        /** Reads the arguments after the dump; returns what is wrong with them, or null. */
        @Nullable
        String parse(String[] args, int first) {
            for (int i = first; i < args.length; i++) {
                switch (args[i]) {
                    case "--json" -> json = true;
                    case "--histogram-only" -> histogramOnly = true;
                    case "--top" -> {
                        Integer n = i + 1 < args.length ? positive(args[++i]) : null;
                        if (n == null) {
                            return "--top needs a positive whole number";
                        }
                        top = n;
                    }
                    case "--layout" -> {
                        layout = i + 1 < args.length ? layout(args[++i]) : null;
                        if (layout == null) {
                            return "--layout is compressed or uncompressed";
                        }
                    }
                    case "--spill" -> {
                        spill = i + 1 < args.length ? Path.of(args[++i]) : null;
                        if (spill == null || !Files.isDirectory(spill)) {
                            return "--spill needs a directory that exists";
                        }
                    }
                    default -> {
                        if (args[i].startsWith("--")) {
                            return "unknown option '" + args[i] + "'";
                        }
                        operands.add(args[i]);
                    }
                }
            }
            return null;
        }
    }

    /** An object identifier as the reports print it, 0x and hexadecimal, or in decimal. */
    private static @Nullable Long objectId(String text) {
        try {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One line per step on standard error, and one when a step is done: a log, not a redrawn bar. */
    private static final class ProgressLine implements Progress {
        private final PrintStream err;
        private final String file;

        ProgressLine(PrintStream err, String file) {
            this.err = err;
            this.file = file;
        }

        @Override
        public void report(String step, int percent) {
            err.printf(Locale.ROOT, "%s: %s, %d %%%n", file, step, percent);
        }
    }

    private static @Nullable Integer positive(String text) {
        try {
            int n = Integer.parseInt(text);
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static @Nullable ObjectLayout layout(String text) {
        return switch (text) {
            case "compressed" -> ObjectLayout.COMPRESSED;
            case "uncompressed" -> ObjectLayout.UNCOMPRESSED;
            default -> null;
        };
    }
}
