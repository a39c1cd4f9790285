package dev.memwarden.hprof;

import java.io.IOException;

/** A heap dump that cannot be read as HPROF: the message names the offset and the record where reading stopped. */
public final class CorruptDumpException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    public CorruptDumpException(long offset, String record, String problem) {
        super(problem + " (at offset " + offset + ", in " + record + ")");
        this.offset = offset;
        this.reason = problem + " (at offset " + offset + ", in " + record + ")";
    }

    /** What is wrong, where, and in which record: the exception's message. */
    public String reason() {
        return reason;
    }

    /** Where in the file the record that could not be read starts. */
    public long offset() {
        return offset;
    }
}
