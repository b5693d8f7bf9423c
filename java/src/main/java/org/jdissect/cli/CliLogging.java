package org.jdissect.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How the library's log lines reach the terminal. The library logs through {@link System.Logger} (so a program that
 * embeds it routes them to its own logging, with levels); the CLI shows them on stderr as plain lines: information
 * as it is, warnings prefixed "warning: ", and details (level DEBUG) only with {@code -v}. The JDK's default
 * console format (two lines per message, with a timestamp) is for servers, not for a command line.
 */
final class CliLogging {
    /**
     * Held so that the configured logger is not collected: java.util.logging keeps loggers only weakly, and a new
     * one would come back without this handler and level.
     */
    private static final Logger ROOT = Logger.getLogger("org.jdissect");

    private CliLogging() {
    }

    /** Lines at INFO and above from now on, on {@code err}. */
    static void install(PrintStream err) {
        ROOT.setUseParentHandlers(false);
        for (Handler h : ROOT.getHandlers()) {
            ROOT.removeHandler(h);
        }
        ROOT.addHandler(new Lines(err));
        ROOT.setLevel(Level.INFO);
    }

    /** Also the details (System.Logger's DEBUG). */
    static void verbose() {
        ROOT.setLevel(Level.FINE);
        for (Handler h : ROOT.getHandlers()) {
            h.setLevel(Level.FINE);
        }
    }

    /** One line per record. */
    private static final class Lines extends Handler {
        private final PrintStream out;

        Lines(PrintStream out) {
            this.out = out;
            setLevel(Level.INFO);
        }

        @Override
        public void publish(LogRecord r) {
            if (!isLoggable(r)) {
                return;
            }
            String message = r.getMessage();
            if (r.getParameters() != null && r.getParameters().length > 0) {
                message = java.text.MessageFormat.format(message, r.getParameters());
            }
            int level = r.getLevel().intValue();
            String prefix = level >= Level.SEVERE.intValue() ? "error: "
                    : level >= Level.WARNING.intValue() ? "warning: "
                    : level < Level.INFO.intValue() ? "debug: " : "";
            out.println(prefix + message);
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
