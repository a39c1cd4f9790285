package dev.memwarden.budget;

import dev.memwarden.internal.GcAlgorithm;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** The memory-related JVM flags of a command line, as a planned JVM would be started with them. */
record JvmFlags(
        OptionalLong maxHeap,
        OptionalDouble maxRamPercentage,
        OptionalLong maxMetaspace,
        OptionalLong maxDirect,
        OptionalLong codeCache,
        OptionalLong threadStack,
        GcAlgorithm collector) {

    static JvmFlags parse(List<String> flags) {
        OptionalLong maxHeap = OptionalLong.empty();
        OptionalDouble ramPercentage = OptionalDouble.empty();
        OptionalLong metaspace = OptionalLong.empty();
        OptionalLong direct = OptionalLong.empty();
        OptionalLong codeCache = OptionalLong.empty();
        OptionalLong stack = OptionalLong.empty();
        GcAlgorithm collector = GcAlgorithm.G1;
        for (String flag : flags) {
            String f = flag.trim();
            if (f.startsWith("-Xmx")) {
                maxHeap = OptionalLong.of(size(f, f.substring(4)));
            } else if (f.startsWith("-Xss")) {
                stack = OptionalLong.of(size(f, f.substring(4)));
            } else if (f.startsWith("-XX:MaxRAMPercentage=")) {
                ramPercentage = OptionalDouble.of(number(f, value(f)));
            } else if (f.startsWith("-XX:MaxHeapSize=")) {
                maxHeap = OptionalLong.of(size(f, value(f)));
            } else if (f.startsWith("-XX:MaxMetaspaceSize=")) {
                metaspace = OptionalLong.of(size(f, value(f)));
            } else if (f.startsWith("-XX:MaxDirectMemorySize=")) {
                direct = OptionalLong.of(size(f, value(f)));
            } else if (f.startsWith("-XX:ReservedCodeCacheSize=")) {
                codeCache = OptionalLong.of(size(f, value(f)));
            } else if (f.startsWith("-XX:ThreadStackSize=")) {
                stack = OptionalLong.of(size(f, value(f) + "k"));
            } else {
                GcAlgorithm gc = collector(f);
                if (gc != null) {
                    collector = gc;
                }
            }
        }
        return new JvmFlags(maxHeap, ramPercentage, metaspace, direct, codeCache, stack, collector);
    }

    private static @Nullable GcAlgorithm collector(String flag) {
        return GcAlgorithm.ofFlag(flag).orElse(null);
    }

    private static String value(String flag) {
        return flag.substring(flag.indexOf('=') + 1);
    }

    private static double number(String flag, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("JVM flag " + flag + ": '" + text + "' is not a number", e);
        }
    }

    /** A HotSpot size: a number with an optional k, m, g or t suffix. */
    static long size(String flag, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "JVM flag " + flag + ": '" + text + "' is not a size such as 512m, 2g or 65536", e);
        }
    }
}
