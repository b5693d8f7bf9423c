package org.jdissect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdissectExceptionTest {
    /** A value quoted from a hostile file cannot break the one line a user error is (found by ReaderFuzzTest). */
    @Test
    void aMessageIsOneLineWhateverItQuotes() {
        assertThat(new JdissectException("index.csv line 6: image: absolute path: '/;,,\n,,-,'").getMessage())
                .isEqualTo("index.csv line 6: image: absolute path: '/;,,\\n,,-,'");
        assertThat(JdissectException.failure("a\r\nb\u0007c\u007fd\te").getMessage())
                .isEqualTo("a\\r\\nb\\u0007c\\u007fd\te");
        assertThat(new JdissectException("plain, é and ✓ stay").getMessage()).isEqualTo("plain, é and ✓ stay");
        assertThat(new JdissectException(null).getMessage()).isNull();
    }
}
