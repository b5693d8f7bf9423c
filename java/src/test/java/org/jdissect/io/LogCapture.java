package org.jdissect.io;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the library logs through {@link System.Logger} (which the JDK routes to java.util.logging) while it is
 * open: each message as "LEVEL message", e.g. "WARNING skipped: ...", at DEBUG (FINE) and above.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level before;
    private final List<String> lines = new ArrayList<>();

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        this.before = logger.getLevel();
        setLevel(Level.ALL);
        logger.addHandler(this);
        logger.setLevel(Level.FINE);
    }

    /** Everything under {@code org.jdissect}. */
    public static LogCapture start() {
        return new LogCapture("org.jdissect");
    }

    @Override
    public synchronized void publish(LogRecord r) {
        String message = r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0) {
            message = java.text.MessageFormat.format(message, r.getParameters());
        }
        lines.add(r.getLevel().getName() + " " + message);
    }

    /** The lines so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The messages so far, without their level. */
    public synchronized List<String> messages() {
        return lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(before);
    }
}
