package dev.memwarden.hprof.internal.format;

import dev.memwarden.hprof.ObjectLayout;
import org.jspecify.annotations.Nullable;

/** The value types of HPROF fields and array elements, with their codes in the format. */
public enum BasicType {
    OBJECT(2, 0, "Object"),
    BOOLEAN(4, 1, "boolean"),
    CHAR(5, 2, "char"),
    FLOAT(6, 4, "float"),
    DOUBLE(7, 8, "double"),
    BYTE(8, 1, "byte"),
    SHORT(9, 2, "short"),
    INT(10, 4, "int"),
    LONG(11, 8, "long");

    private static final @Nullable BasicType[] BY_CODE = new BasicType[12];

    static {
        for (BasicType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    final int code;
    /** Bytes of a value in the JVM and in the file; 0 for references, whose size depends on the dump and layout. */
    private final int primitiveSize;

    public final String javaName;

    BasicType(int code, int primitiveSize, String javaName) {
        this.code = code;
        this.primitiveSize = primitiveSize;
        this.javaName = javaName;
    }

    /** The type of this code, or null if the format has none. */
    static @Nullable BasicType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Bytes of one value in the file, where references take the dump's identifier size. */
    public int sizeInFile(int idSize) {
        return this == OBJECT ? idSize : primitiveSize;
    }

    /** Bytes of one value in the JVM's heap under a layout. */
    public int sizeInHeap(ObjectLayout layout) {
        return this == OBJECT ? layout.referenceSize() : primitiveSize;
    }
}
