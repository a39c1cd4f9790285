package dev.memwarden.bounded;

import java.nio.charset.StandardCharsets;

/** Turns queue elements into bytes and back, for a {@link BoundedQueue} that spills to disk. */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);

    static Codec<String> utf8() {
        return new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    static Codec<byte[]> bytes() {
        return new Codec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value.clone();
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }
        };
    }
}
