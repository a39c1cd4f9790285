package dev.memwarden.bounded;

import java.util.ArrayList;
import java.util.List;

/**
 * The stack of the call that took a structure past its warning line, written as the leak report writes allocation
 * stacks ({@code class.method:line}), starting at the structure's caller: the leak detector reports it with the
 * structure, and under collectors where the JVM samples no old objects (generational ZGC) it is the one stack that
 * names where the leaking entries come from.
 */
final class GrowthSite {
    /** As deep as memwarden's allocation-site recording goes. */
    static final int MAX_FRAMES = 32;

    private GrowthSite() {}

    static List<String> of(Throwable call, Class<?> structure) {
        String own = structure.getName();
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : call.getStackTrace()) {
            String className = frame.getClassName();
            if (frames.isEmpty() && (className.equals(own) || className.startsWith(own + "$"))) {
                continue;
            }
            frames.add(className + "." + frame.getMethodName()
                    + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : ""));
            if (frames.size() == MAX_FRAMES) {
                break;
            }
        }
        return List.copyOf(frames);
    }
}
