package org.jdissect;

/**
 * An error the user can cause and fix: a missing file, a malformed row, an unknown layer, bad options.
 * The CLI prints only its message (no stack trace) and exits with {@link #exitCode()}: 2 for every user error, 1
 * for a {@link #failure failure} of the machine (a disk that refuses a write, a GPU or inference runtime error,
 * an interrupted run) and for internal errors.
 * Messages name the file, line or layer and, where there is a choice, the valid choices. A message is one line: the
 * values it quotes come from files and options a user (or a hostile dataset) wrote, so line breaks and other control
 * characters in it are written as escapes ({@code \n}, {@code \u0007}).
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
        super(oneLine(message), cause);
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

    /** {@code message} with line breaks and other control characters (but tabs) escaped; null stays null. */
    static String oneLine(String message) {
        if (message == null || message.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            return message;
        }
        StringBuilder s = new StringBuilder(message.length() + 16);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                s.append("\\n");
            } else if (c == '\r') {
                s.append("\\r");
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                s.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
