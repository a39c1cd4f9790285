package dev.memwarden.hprof;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What fills the heap, class by class: instances and shallow bytes under one {@link ObjectLayout}, and where the
 * dominator tree was computed, the bytes they retain. Classes of one name loaded by two class loaders are two rows,
 * each naming its loader.
 *
 * @param classes every class with at least one instance, by retained bytes where known, else by shallow bytes,
 *     largest first
 */
public record ClassHistogram(ObjectLayout layout, List<Row> classes, long instances, long shallowBytes) {
    /** How {@link Row#classLoader} names the loader of the JDK's own classes, which has no object. */
    public static final String BOOTSTRAP_LOADER = "the bootstrap class loader";

    /**
     * One class: its Java name ({@code java.lang.String}, {@code byte[]}), instances and their shallow bytes.
     *
     * @param retainedBytes what its instances retain, counting an instance only where no other instance of the class
     *     dominates it; empty where only the histogram was computed
     * @param classLoader the loader that loaded the class, given only where another loader loaded a class of the same
     *     name: its class and identifier ({@code java.net.URLClassLoader 0x7f0a1c2d8}), or its identifier alone where
     *     only the histogram was computed, or {@link #BOOTSTRAP_LOADER}
     */
    public record Row(
            String className,
            long instances,
            long shallowBytes,
            OptionalLong retainedBytes,
            Optional<String> classLoader) {
        public Row(String className, long instances, long shallowBytes, OptionalLong retainedBytes) {
            this(className, instances, shallowBytes, retainedBytes, Optional.empty());
        }

        public Row(String className, long instances, long shallowBytes) {
            this(className, instances, shallowBytes, OptionalLong.empty());
        }

        /** The name, and the loader where two loaders loaded a class of that name. */
        public String describe() {
            return classLoader
                    .map(loader -> className + " (loaded by " + loader + ")")
                    .orElse(className);
        }
    }

    public ClassHistogram {
        classes = List.copyOf(classes);
    }

    /** The row of a class by its Java name; the first if two loaders loaded it (see {@link Row#classLoader}). */
    public Optional<Row> row(String className) {
        return classes.stream().filter(r -> r.className().equals(className)).findFirst();
    }

    /** The top classes as a readable table. */
    public String describe(int top) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%,d objects, %s shallow, in %,d classes (layout: %d-byte references, %d-byte headers)%n",
                instances,
                bytes(shallowBytes),
                classes.size(),
                layout.referenceSize(),
                layout.headerSize()));
        boolean retained = !classes.isEmpty() && classes.get(0).retainedBytes().isPresent();
        out.append(String.format(
                Locale.ROOT,
                "%14s %12s %12s %6s  %s%n",
                "instances",
                "shallow",
                retained ? "retained" : "",
                "share",
                "class"));
        for (Row row : classes.subList(0, Math.min(top, classes.size()))) {
            long ranked = row.retainedBytes().orElse(row.shallowBytes());
            out.append(String.format(
                    Locale.ROOT,
                    "%,14d %12s %12s %5.1f%%  %s%n",
                    row.instances(),
                    bytes(row.shallowBytes()),
                    retained ? bytes(ranked) : "",
                    shallowBytes == 0 ? 0.0 : 100.0 * ranked / shallowBytes,
                    row.describe()));
        }
        return out.toString();
    }

    /** The top classes as JSON. */
    public String toJson(int top) {
        return Json.write(json -> writeTo(json, top));
    }

    void writeTo(JsonGenerator json, int top) throws IOException {
        json.writeStartObject();
        json.writeNumberField("instances", instances);
        json.writeNumberField("shallowBytes", shallowBytes);
        json.writeObjectFieldStart("layout");
        json.writeNumberField("referenceSize", layout.referenceSize());
        json.writeNumberField("headerSize", layout.headerSize());
        json.writeNumberField("alignment", layout.alignment());
        json.writeEndObject();
        json.writeNumberField("classCount", classes.size());
        json.writeArrayFieldStart("classes");
        for (Row row : classes.subList(0, Math.min(top, classes.size()))) {
            json.writeStartObject();
            json.writeStringField("class", row.className());
            json.writeNumberField("instances", row.instances());
            json.writeNumberField("shallowBytes", row.shallowBytes());
            if (row.retainedBytes().isPresent()) {
                json.writeNumberField("retainedBytes", row.retainedBytes().getAsLong());
            }
            if (row.classLoader().isPresent()) {
                json.writeStringField("classLoader", row.classLoader().get());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
