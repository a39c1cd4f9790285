package dev.memwarden.hprof.internal.format;

import java.util.List;

/**
 * A CLASS DUMP record: the class object with what it references, and the shape of its instances.
 *
 * @param statics the static fields with their values; a reference's value is the identifier it holds
 * @param instanceFields the fields this class declares, not its superclasses', in the order an instance's data lists
 *     them (an instance lists its own class's fields first, then each superclass's)
 */
public record ClassDump(
        long classId,
        long superId,
        long loaderId,
        long signersId,
        long protectionDomainId,
        List<Field> statics,
        List<Field> instanceFields) {

    /** A field: its name's string identifier, its type, and for a static field its value. */
    public record Field(long nameId, BasicType type, long value) {}

    public ClassDump {
        statics = List.copyOf(statics);
        instanceFields = List.copyOf(instanceFields);
    }
}
