package dev.memwarden.hprof;

/**
 * How big objects were in the JVM that wrote the dump, which the dump does not record: HPROF writes every reference
 * at its identifier size and no headers. One model for every shallow size memwarden-hprof reports: an object is its
 * header plus its fields and those of its superclasses, packed without gaps, rounded up to the alignment; an array is
 * its header, a 4-byte length, padding to the element size, and the elements, rounded up the same way. HotSpot packs
 * fields into the gaps this way since JDK 15, so the model matches its own histogram there; on older JDKs a subclass
 * could not use the gap at the end of its superclass's fields, and an object can be 8 bytes larger than reported.
 *
 * @param referenceSize 4 with compressed oops (the default below 32 GB of heap), 8 without
 * @param headerSize 12 with compressed class pointers, 16 without, 8 on a 32-bit JVM
 * @param alignment the object alignment, 8 by default ({@code -XX:ObjectAlignmentInBytes})
 */
public record ObjectLayout(int referenceSize, int headerSize, int alignment) {
    /** A 64-bit JVM below 32 GB of heap, as deployed almost everywhere: compressed oops and class pointers. */
    public static final ObjectLayout COMPRESSED = new ObjectLayout(4, 12, 8);

    /** A 64-bit JVM with 32 GB of heap or more, or run with {@code -XX:-UseCompressedOops}. */
    public static final ObjectLayout UNCOMPRESSED = new ObjectLayout(8, 16, 8);

    /** A 32-bit JVM, the only kind that writes 4-byte identifiers. */
    public static final ObjectLayout THIRTY_TWO_BIT = new ObjectLayout(4, 8, 8);

    public ObjectLayout {
        if (referenceSize != 4 && referenceSize != 8) {
            throw new IllegalArgumentException("references are 4 or 8 bytes, not " + referenceSize);
        }
        if (headerSize < 8 || headerSize > 16) {
            throw new IllegalArgumentException("an object header is 8 to 16 bytes, not " + headerSize);
        }
        if (alignment < 8 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("the alignment is a power of two of at least 8, not " + alignment);
        }
    }

    /** What a dump most likely came from: its identifier size says 32 or 64 bits; 64 bits is taken as compressed. */
    public static ObjectLayout inferred(int idSize) {
        return idSize == 4 ? THIRTY_TWO_BIT : COMPRESSED;
    }

    /** The shallow size of an instance whose fields, its superclasses' included, take this many bytes. */
    public long instanceSize(long fieldBytes) {
        return align(headerSize + fieldBytes, alignment);
    }

    /** The shallow size of an array of this many elements of this many bytes each. */
    public long arraySize(long length, int elementSize) {
        long base = align(headerSize + 4L, elementSize);
        return align(base + length * elementSize, alignment);
    }

    private static long align(long size, int to) {
        return (size + to - 1) / to * to;
    }
}
