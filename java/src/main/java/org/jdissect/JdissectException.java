package org.jdissect;

/**
 * An error the user can cause and fix: a missing file, a malformed row, an unknown layer, bad options.
 * The CLI prints only its message (no stack trace) and exits with {@link #exitCode()}: 2 for every user error, 1
 * for a {@link #failure failure} of the machine (a disk that refuses a write, a GPU or inference runtime error,
 * an interrupted run) and for internal errors.
 * Messages name the file, line or layer and, where there is a choice, the valid choices.
 */
public class JdissectException extends RuntimeException {
    private final int exitCode;

    public JdissectException(String message) {
        this(message, null, 2);
    }

    public JdissectException(String message, Throwable cause) {
        this(message, cause, 2);
    }

    protected JdissectException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Not the user's doing (exit code 1): the disk, the GPU, the inference runtime or an interruption failed. */
    public static JdissectException failure(String message) {
        return new JdissectException(message, null, 1);
    }

    /** A {@link #failure(String) failure} with the exception that reported it. */
    public static JdissectException failure(String message, Throwable cause) {
        return new JdissectException(message, cause, 1);
    }

    public int exitCode() {
        return exitCode;
    }
}
