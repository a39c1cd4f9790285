package dev.memwarden.hprof;

import java.util.Locale;

/**
 * The one piece of JSON writing this module needs: a string literal, escaped as RFC 8259 requires. memwarden-core has
 * the same; this module depends on nothing, so that it can be taken to any machine that holds a dump.
 */
final class Json {
    private Json() {}

    /** An object identifier as the reports print it, {@code "0x7ff01a2b8"}: a string, as JSON numbers lose 64 bits. */
    static String objectId(long id) {
        return string(String.format(Locale.ROOT, "0x%x", id));
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
