package org.jdissect;

/**
 * An error the user can cause and fix: a missing file, a malformed row, an unknown layer, bad options.
 * The CLI prints only its message (no stack trace) and exits with {@link #exitCode()}.
 * Messages name the file, line or layer and, where there is a choice, the valid choices.
 */
public class JdissectException extends RuntimeException {
    private final int exitCode;

    public JdissectException(String message) {
        this(message, null, 1);
    }

    public JdissectException(String message, Throwable cause) {
        this(message, cause, 1);
    }

    protected JdissectException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad usage (exit code 2): options that cannot work together, values out of range. */
    public static JdissectException usage(String message) {
        return new JdissectException(message, null, 2);
    }

    public int exitCode() {
        return exitCode;
    }
}
