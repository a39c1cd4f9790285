package dev.memwarden.hprof.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void internalClassNamesReadAsJava() {
        assertThat(Names.javaName("java/util/HashMap$Node")).isEqualTo("java.util.HashMap$Node");
        assertThat(Names.javaName("[Ljava/lang/Object;")).isEqualTo("java.lang.Object[]");
        assertThat(Names.javaName("[[I")).isEqualTo("int[][]");
    }
}
