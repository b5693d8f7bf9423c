package org.jdissect.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.jdissect.JdissectException;

/**
 * Where an option's files are, as a user writes it: a path, or a URI ({@code file:///data/broden}, as Spark and
 * Hadoop users write locations). The dataset is read through the local file system (a shared one, for a cluster).
 */
final class Locations {
    private static final Pattern URI_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private Locations() {
    }

    /** Whether {@code text} is written as a URI (a scheme and ://), not a path. */
    static boolean isUri(String text) {
        return URI_LIKE.matcher(text).matches();
    }

    /** The local path of {@code text}: itself, or a {@code file:} URI's path; other schemes are one-line errors. */
    static Path local(String option, String text) {
        if (!URI_LIKE.matcher(text).matches()) {
            return Path.of(text);
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new JdissectException(option + " " + text + " is not a valid URI: " + e.getMessage());
        }
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            try {
                return Path.of(uri);
            } catch (IllegalArgumentException e) {
                throw new JdissectException(option + " " + text + " is not a file URI of a path (file:///dir): "
                        + e.getMessage());
            }
        }
        throw new JdissectException(option + " " + text + ": " + uri.getScheme() + ":// locations are read by "
                + "--spark jobs only (through Hadoop's file systems); on one machine give a path or a file:// URI");
    }
}
