package dev.memwarden.hprof;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The command line: {@code java -jar memwarden-hprof.jar analyze DUMP [--json] [--top N] [--histogram-only] [--layout
 * compressed|uncompressed]}. The report goes to standard output, progress to standard error; exit status 0 when the
 * dump was analyzed, 2 with a message when it could not be (a missing, corrupt or truncated file, a wrong command
 * line), as grep does.
 */
public final class HprofMain {
    static final String USAGE =
            "usage: memwarden-hprof analyze DUMP [--json] [--top N] [--histogram-only] [--layout compressed|uncompressed]";

    private HprofMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].equals("analyze")) {
            err.println(args.length == 0 ? USAGE : "unknown command '" + args[0] + "'\n" + USAGE);
            return 2;
        }
        Path dump = Path.of(args[1]);
        boolean json = false;
        boolean histogramOnly = false;
        int top = 25;
        ObjectLayout layout = null;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--histogram-only" -> histogramOnly = true;
                case "--top" -> {
                    Integer n = i + 1 < args.length ? positive(args[++i]) : null;
                    if (n == null) {
                        err.println("--top needs a positive whole number\n" + USAGE);
                        return 2;
                    }
                    top = n;
                }
                case "--layout" -> {
                    layout = i + 1 < args.length ? layout(args[++i]) : null;
                    if (layout == null) {
                        err.println("--layout is compressed or uncompressed\n" + USAGE);
                        return 2;
                    }
                }
                default -> {
                    err.println("unknown option '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        if (!Files.isRegularFile(dump)) {
            err.println("no such dump file: " + dump);
            return 2;
        }
        Progress progress = new ProgressLine(err, dump.getFileName().toString());
        HeapAnalysis analysis = histogramOnly
                ? HeapAnalyzer.histogram(dump, layout, progress)
                : HeapAnalyzer.analyze(dump, layout, top, progress);
        if (analysis instanceof HeapAnalysis.Success success) {
            out.print(json ? success.toJson(top) + "\n" : success.describe(top));
            err.printf(Locale.ROOT, "analyzed in %d ms%n", success.took().toMillis());
            return 0;
        }
        err.println("cannot analyze " + dump + ": " + ((HeapAnalysis.Failure) analysis).reason());
        return 2;
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
