package dev.memwarden.hprof.internal.format;

/** Why the JVM keeps an object alive regardless of references to it: the GC root kinds of HPROF. */
public enum RootKind {
    UNKNOWN("an unknown root"),
    JNI_GLOBAL("a JNI global reference"),
    JNI_LOCAL("a JNI local reference"),
    JAVA_FRAME("a local variable of a running method"),
    NATIVE_STACK("a native stack"),
    STICKY_CLASS("a class of the system class loader"),
    THREAD_BLOCK("a thread block"),
    MONITOR_USED("a monitor in use"),
    THREAD_OBJECT("a running thread");

    public final String description;

    RootKind(String description) {
        this.description = description;
    }
}
