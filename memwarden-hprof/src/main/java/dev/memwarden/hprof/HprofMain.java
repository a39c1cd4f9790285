package dev.memwarden.hprof;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The command line: {@code analyze DUMP} for the histogram, dominators and leak suspects; {@code path DUMP ID...} for
 * the paths from GC roots to chosen objects (see {@link #USAGE}). The report goes to standard output, progress to standard error; exit status 0 when the
 * dump was analyzed, 2 with a message when it could not be (a missing, corrupt or truncated file, a wrong command
 * line), as grep does.
 */
public final class HprofMain {
    static final String USAGE =
            """
            usage: memwarden-hprof analyze DUMP [--json] [--top N] [--histogram-only] [--layout compressed|uncompressed]
                   memwarden-hprof path DUMP OBJECT_ID... [--json] [--layout compressed|uncompressed]"""
                    .stripIndent();

    private HprofMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !(args[0].equals("analyze") || args[0].equals("path"))) {
            err.println(args.length == 0 ? USAGE : "unknown command '" + args[0] + "'\n" + USAGE);
            return 2;
        }
        Options options = new Options();
        String problem = options.parse(args);
        if (problem != null) {
            err.println(problem + "\n" + USAGE);
            return 2;
        }
        Path dump = Path.of(args[1]);
        if (!Files.isRegularFile(dump)) {
            err.println("no such dump file: " + dump);
            return 2;
        }
        Progress progress = new ProgressLine(err, dump.getFileName().toString());
        if (args[0].equals("path")) {
            if (options.objectIds.isEmpty()) {
                err.println("path needs at least one object identifier\n" + USAGE);
                return 2;
            }
            RootPathSearch search = HeapAnalyzer.pathsFromGcRoots(dump, options.layout, options.objectIds, progress);
            if (search instanceof RootPathSearch.Success success) {
                out.print(options.json ? success.toJson() + "\n" : success.describe());
                err.printf(Locale.ROOT, "searched in %d ms%n", success.took().toMillis());
                return 0;
            }
            err.println("cannot search " + dump + ": " + ((RootPathSearch.Failure) search).reason());
            return 2;
        }
        if (!options.objectIds.isEmpty()) {
            err.println("unknown option '" + options.objectIds.get(0) + "'\n" + USAGE);
            return 2;
        }
        HeapAnalysis analysis = options.histogramOnly
                ? HeapAnalyzer.histogram(dump, options.layout, progress)
                : HeapAnalyzer.analyze(dump, options.layout, options.top, progress);
        if (analysis instanceof HeapAnalysis.Success success) {
            out.print(options.json ? success.toJson(options.top) + "\n" : success.describe(options.top));
            err.printf(Locale.ROOT, "analyzed in %d ms%n", success.took().toMillis());
            return 0;
        }
        err.println("cannot analyze " + dump + ": " + ((HeapAnalysis.Failure) analysis).reason());
        return 2;
    }

    /** What follows the command and its dump: options, and for {@code path} the object identifiers. */
    private static final class Options {
        boolean json;
        boolean histogramOnly;
        int top = 25;

        @Nullable
        ObjectLayout layout;

        final List<Long> objectIds = new ArrayList<>();

        /** Reads the arguments after the dump; returns what is wrong with them, or null. */
        @Nullable
        String parse(String[] args) {
            for (int i = 2; i < args.length; i++) {
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
                    default -> {
                        Long id = args[i].startsWith("--") ? null : objectId(args[i]);
                        if (id == null) {
                            return "unknown option '" + args[i] + "'";
                        }
                        objectIds.add(id);
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
