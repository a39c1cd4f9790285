package dev.memwarden.hprof;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The reports' JSON, written through jackson-core's streaming API over one shared factory. */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {}

    /** What writes one value into a document. */
    @FunctionalInterface
    interface Writing {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** A document as compact text. */
    static String write(Writing writing) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writing.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return out.toString();
    }

    /** An object identifier as the reports print it, {@code "0x7ff01a2b8"}: a string, as JSON numbers lose 64 bits. */
    static void objectId(JsonGenerator json, String field, long id) throws IOException {
        json.writeStringField(field, String.format(Locale.ROOT, "0x%x", id));
    }

    static void stringOrNull(JsonGenerator json, String field, @Nullable String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }

    static void valueOrNull(JsonGenerator json, String field, @Nullable Writing value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            value.writeTo(json);
        }
    }
}
