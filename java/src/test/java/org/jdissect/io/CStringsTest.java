package org.jdissect.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CStringsTest {
    @Test
    void theTextBeforeTheFirstNulAsUtf8() {
        byte[] buffer = new byte[16];
        byte[] text = "Größe 7".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, buffer, 0, text.length);
        buffer[text.length + 1] = 'x'; // after the NUL: not read
        assertThat(CStrings.read(buffer)).isEqualTo("Größe 7");
        assertThat(CStrings.read(new byte[4])).isEmpty();
        assertThat(CStrings.read("abc".getBytes(StandardCharsets.UTF_8))).as("no NUL: all of it").isEqualTo("abc");
    }
}
