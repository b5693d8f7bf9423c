package org.jdissect.io;

import java.nio.charset.StandardCharsets;

/** Text that a native call wrote into a Java buffer, as the C APIs' (err, err_len) contract has them write it. */
public final class CStrings {
    private CStrings() {
    }

    /** The NUL-terminated UTF-8 text at the start of {@code buffer} (all of it when it holds no NUL). */
    public static String read(byte[] buffer) {
        int n = 0;
        while (n < buffer.length && buffer[n] != 0) {
            n++;
        }
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }
}
