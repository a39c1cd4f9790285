package dev.memwarden.hprof;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds small HPROF files in code, with known answers, for either identifier size. */
final class HprofWriter {
    private final int idSize;
    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private final ByteArrayOutputStream heap = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(file);
    private final DataOutputStream sub = new DataOutputStream(heap);

    HprofWriter(int idSize) {
        this.idSize = idSize;
        try {
            out.write("JAVA PROFILE 1.0.2".getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            out.writeInt(idSize);
            out.writeLong(1_700_000_000_000L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A STRING and a LOAD CLASS record naming a class. */
    HprofWriter loadClass(long classId, long nameId, String internalName) {
        byte[] name = internalName.getBytes(StandardCharsets.UTF_8);
        record(0x01, idSize + name.length, body -> {
            id(body, nameId);
            body.write(name);
        });
        record(0x02, 8 + 2 * idSize, body -> {
            body.writeInt(1);
            id(body, classId);
            body.writeInt(0);
            id(body, nameId);
        });
        return this;
    }

    /** A STRING record. */
    HprofWriter string(long id, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        record(0x01, idSize + bytes.length, body -> {
            id(body, id);
            body.write(bytes);
        });
        return this;
    }

    /** A CLASS DUMP with no constants or statics whose instance fields are references named by these strings. */
    HprofWriter referenceClass(long classId, long superId, long... fieldNameIds) {
        int[] types = new int[fieldNameIds.length];
        Arrays.fill(types, 2);
        return classDump(classId, superId, fieldNameIds, types);
    }

    /** A CLASS DUMP with no constants or statics and these instance field type codes. */
    HprofWriter classDump(long classId, long superId, int... fieldTypes) {
        return classDump(classId, superId, new long[fieldTypes.length], fieldTypes);
    }

    private HprofWriter classDump(long classId, long superId, long[] fieldNameIds, int[] fieldTypes) {
        write(() -> {
            sub.write(0x20);
            id(sub, classId);
            sub.writeInt(0);
            id(sub, superId);
            for (int i = 0; i < 5; i++) {
                id(sub, 0);
            }
            sub.writeInt(0);
            sub.writeShort(0);
            sub.writeShort(0);
            sub.writeShort(fieldTypes.length);
            for (int i = 0; i < fieldTypes.length; i++) {
                id(sub, fieldNameIds[i]);
                sub.write(fieldTypes[i]);
            }
        });
        return this;
    }

    HprofWriter instance(long id, long classId, int dataBytes) {
        write(() -> {
            sub.write(0x21);
            id(sub, id);
            sub.writeInt(0);
            id(sub, classId);
            sub.writeInt(dataBytes);
            sub.write(new byte[dataBytes]);
        });
        return this;
    }

    /** An instance whose data is these references, for a class whose fields are all references. */
    HprofWriter objectWithReferences(long id, long classId, long... references) {
        write(() -> {
            sub.write(0x21);
            id(sub, id);
            sub.writeInt(0);
            id(sub, classId);
            sub.writeInt(references.length * idSize);
            for (long reference : references) {
                id(sub, reference);
            }
        });
        return this;
    }

    HprofWriter objectArray(long id, long arrayClassId, int length) {
        write(() -> {
            sub.write(0x22);
            id(sub, id);
            sub.writeInt(0);
            sub.writeInt(length);
            id(sub, arrayClassId);
            for (int i = 0; i < length; i++) {
                id(sub, 0);
            }
        });
        return this;
    }

    /** A byte array: type code 8. {@code statedLength} may lie about {@code actualLength}. */
    HprofWriter byteArray(long id, int statedLength, int actualLength) {
        write(() -> {
            sub.write(0x23);
            id(sub, id);
            sub.writeInt(0);
            sub.writeInt(statedLength);
            sub.write(8);
            sub.write(new byte[actualLength]);
        });
        return this;
    }

    /** A root of unknown kind. */
    HprofWriter root(long id) {
        write(() -> {
            sub.write(0xFF);
            id(sub, id);
        });
        return this;
    }

    /** The file: what was written, then the heap sub-records in one HEAP DUMP SEGMENT and a HEAP DUMP END. */
    byte[] bytes() {
        byte[] segment = heap.toByteArray();
        record(0x1C, segment.length, body -> body.write(segment));
        record(0x2C, 0, body -> {});
        return file.toByteArray();
    }

    private interface Body {
        void write(DataOutputStream body) throws IOException;
    }

    private interface Step {
        void run() throws IOException;
    }

    private void record(int tag, int length, Body body) {
        try {
            out.write(tag);
            out.writeInt(0);
            out.writeInt(length);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Step step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void id(DataOutputStream to, long id) throws IOException {
        if (idSize == 4) {
            to.writeInt((int) id);
        } else {
            to.writeLong(id);
        }
    }
}
