package dev.memwarden.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The one way memwarden writes and reads JSON: jackson-core's streaming API over one shared factory. Streaming, not
 * data binding: the agent carries this, and its budget is 800 classes in all.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {}

    /** What writes one document. */
    @FunctionalInterface
    public interface Writing {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** What reads one document. */
    @FunctionalInterface
    public interface Reading<T> {
        T readFrom(JsonParser json) throws IOException;
    }

    /** A document as compact text. */
    public static String write(Writing writing) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writing.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return out.toString();
    }

    /**
     * Reads a document from text.
     *
     * @throws IllegalArgumentException naming what is wrong, when the text is not JSON of the expected shape
     */
    public static <T> T read(String text, Reading<T> reading) {
        try (JsonParser json = FACTORY.createParser(text)) {
            return reading.readFrom(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("not JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string", e);
        }
    }

    /** A number as JSON carries it: whole values without a fraction, {@code null} for NaN and infinities. */
    public static void number(JsonGenerator json, double value) throws IOException {
        if (!Double.isFinite(value)) {
            json.writeNull();
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else {
            json.writeNumber(value);
        }
    }

    /** A field whose number may be absent, or not finite: written {@code null} then. */
    public static void numberField(JsonGenerator json, String name, @Nullable Number value) throws IOException {
        json.writeFieldName(name);
        number(json, value);
    }

    /** A number that may be absent. */
    public static void number(JsonGenerator json, @Nullable Number value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else {
            number(json, value.doubleValue());
        }
    }
}
