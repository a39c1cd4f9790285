package dev.memwarden.hprof.internal.analysis;

import java.util.Arrays;

/** A growable stack of ints, for graph walks that must not recurse. */
final class IntStack {
    private int[] values = new int[64];
    private int size;

    void push(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int pop() {
        return values[--size];
    }

    int peek() {
        return values[size - 1];
    }

    void replaceTop(int value) {
        values[size - 1] = value;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
