package org.jdissect.report;

import java.util.function.Consumer;

/**
 * A section of a report page: a heading and a body. Experiments add theirs through a {@link ReportExtension}.
 *
 * @param id    the section's anchor on its page (letters, digits, {@code -} and {@code _})
 * @param title the heading (text, escaped)
 * @param body  writes the section's content; escape every string from a dataset or a model with {@link Html#text}
 */
public record ReportSection(String id, String title, Consumer<Html> body) {
    public ReportSection {
        if (id == null || !id.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("a section id is a letter, then letters, digits, - or _: " + id);
        }
    }
}
