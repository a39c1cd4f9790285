package dev.memwarden.hprof;

/** Told how far an analysis got: the step it is in and how much of that step is done. Called on the analyzing thread. */
@FunctionalInterface
public interface Progress {
    /** Reports nothing. */
    Progress NONE = (step, percent) -> {};

    /**
     * Called as a step advances, and with 100 when it is done.
     *
     * @param step what is being done, such as {@code reading classes} or {@code computing dominators}
     * @param percent how much of that step is done, 0 to 100
     */
    void report(String step, int percent);
}
