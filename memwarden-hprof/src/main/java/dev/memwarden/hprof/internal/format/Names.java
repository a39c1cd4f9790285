package dev.memwarden.hprof.internal.format;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The names a dump gives its classes and fields: STRING records, kept as offsets into the file and decoded
 * when asked, and the LOAD CLASS records that point a class at its name.
 */
public final class Names {
    private final DumpFile dump;
    private int idSize = 8;
    private final Map<Long, Long> stringOffsets = new HashMap<>();
    private final Map<Long, Long> classNameIds = new HashMap<>();

    public Names(DumpFile dump) {
        this.dump = dump;
    }

    public void idSize(int idSize) {
        this.idSize = idSize;
    }

    public void string(long id, long offset) {
        stringOffsets.put(id, offset);
    }

    public void loadClass(long classId, long nameId) {
        classNameIds.put(classId, nameId);
    }

    /** The Java name of a class ({@code java.util.HashMap$Node}, {@code int[][]}), or its identifier if unnamed. */
    public String className(long classId) {
        Long nameId = classNameIds.get(classId);
        String internal = nameId == null ? null : string(nameId);
        return internal == null ? String.format("<class 0x%x>", classId) : javaName(internal);
    }

    /** A STRING record's text, or null if the dump has none of that identifier. */
    @Nullable
    public String string(long id) {
        Long offset = stringOffsets.get(id);
        if (offset == null) {
            return null;
        }
        // The record's length, just before its identifier, covers the identifier and the text.
        int length = (int) (dump.u4(offset - idSize - 4) - idSize);
        return new String(dump.bytes(offset, length), StandardCharsets.UTF_8);
    }

    /** From the JVM's internal form ({@code java/lang/String}, {@code [Ljava/lang/Object;}, {@code [[I}). */
    static String javaName(String internal) {
        int dimensions = 0;
        while (dimensions < internal.length() && internal.charAt(dimensions) == '[') {
            dimensions++;
        }
        String element = internal.substring(dimensions);
        if (dimensions > 0) {
            element = switch (element) {
                case "Z" -> "boolean";
                case "C" -> "char";
                case "F" -> "float";
                case "D" -> "double";
                case "B" -> "byte";
                case "S" -> "short";
                case "I" -> "int";
                case "J" -> "long";
                default ->
                    element.startsWith("L") && element.endsWith(";")
                            ? element.substring(1, element.length() - 1)
                            : element;
            };
        }
        return element.replace('/', '.') + "[]".repeat(dimensions);
    }
}
