package dev.memwarden.json;

/**
 * The JSON writing core needs for its few payloads of fixed shape (webhook alerts, leak reports): quoting
 * strings and writing numbers. Core depends on nothing but Caffeine; the server module uses Jackson.
 */
public final class Json {
    private Json() {}

    /** A JSON number, or {@code null} for NaN and infinities, which JSON cannot carry. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    public static String quote(String text) {
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
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
