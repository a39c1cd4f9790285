package dev.memwarden.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void bytesInBinaryUnitsWithOneDecimal() {
        assertThat(Format.bytes(0)).isEqualTo("0 B");
        assertThat(Format.bytes(1023)).isEqualTo("1023 B");
        assertThat(Format.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Format.bytes(27L << 20)).isEqualTo("27.0 MiB");
        assertThat(Format.bytes(-(3L << 30) - (1L << 29))).isEqualTo("-3.5 GiB");
        assertThat(Format.bytes(5L << 50)).isEqualTo("5120.0 TiB");
    }

    @Test
    void wholeBytesAsAFlagWouldSetThem() {
        assertThat(Format.wholeBytes(2L << 30)).isEqualTo("2 GiB");
        assertThat(Format.wholeBytes(1536L << 20)).isEqualTo("1536 MiB");
        assertThat(Format.wholeBytes(128L << 20)).isEqualTo("128 MiB");
        assertThat(Format.wholeBytes(512 * 1024)).isEqualTo("512 KiB");
    }

    @Test
    void durationsInTheirTwoLargestUnits() {
        assertThat(Format.duration(0)).isEqualTo("0s");
        assertThat(Format.duration(33)).isEqualTo("33s");
        assertThat(Format.duration(254)).isEqualTo("4m 14s");
        assertThat(Format.duration(300)).isEqualTo("5m");
        assertThat(Format.duration(2 * 3600 + 5 * 60 + 59)).isEqualTo("2h 5m");
        assertThat(Format.duration(3 * 86_400 + 3600)).isEqualTo("3d 1h");
        assertThat(Format.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Format.duration(Duration.ofMillis(10_003)))
                .as("whole seconds past one")
                .isEqualTo("10s");
        assertThat(Format.duration(Duration.ofMillis(65_999))).isEqualTo("1m 5s");
    }
}
