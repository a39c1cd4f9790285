package dev.memwarden.hprof;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The command line: {@code java -jar memwarden-hprof.jar analyze DUMP [--json] [--top N] [--layout
 * compressed|uncompressed]}. The report goes to standard output, progress to standard error; exit status 0 when the
 * dump was analyzed, 1 when it could not be read, 2 for a wrong command line.
 */
public final class HprofMain {
    static final String USAGE =
            "usage: memwarden-hprof analyze DUMP [--json] [--top N] [--layout compressed|uncompressed]";

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
        int top = 25;
        ObjectLayout layout = null;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
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
            return 1;
        }
        long size = dump.toFile().length();
        HeapAnalysis analysis = HeapAnalyzer.analyze(
                dump,
                layout,
                read -> err.printf(
                        Locale.ROOT,
                        "reading %s: %d %% of %s%n",
                        dump.getFileName(),
                        100 * read / Math.max(1, size),
                        ClassHistogram.bytes(size)));
        if (analysis instanceof HeapAnalysis.Success success) {
            out.print(
                    json
                            ? success.histogram().toJson(top) + "\n"
                            : success.histogram().describe(top));
            err.printf(Locale.ROOT, "analyzed in %d ms%n", success.took().toMillis());
            return 0;
        }
        err.println("cannot analyze " + dump + ": " + ((HeapAnalysis.Failure) analysis).reason());
        return 1;
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
