package org.jdissect.report;

import java.util.List;
import java.util.function.Function;

import gg.jte.Content;

/**
 * A section of a report page: {@code <section id="ID"><h2>TITLE</h2>BODY</section>}, or a page's untitled
 * introduction ({@link #intro}). Extensions return sections for the index and for other extensions' layer pages.
 *
 * @param id    the section's anchor on its page (a letter, then letters, digits, {@code -} and {@code _}); null for
 *              an introduction
 * @param title the heading (text, escaped); null for an introduction
 * @param place where on the index page: sections are ordered by place, then by extension, then as returned
 * @param body  the content, from a template (escaped as it is written)
 */
public record ReportSection(String id, String title, Place place, Content body) {
    /** Where a section goes among the index page's sections. */
    public enum Place {
        /** The page's introduction, before everything. */
        TOP,
        /** Results. */
        MAIN,
        /** What the run recorded (settings, provenance): after every result. */
        END
    }

    public ReportSection {
        if (id == null ? title != null : !id.matches("[A-Za-z][A-Za-z0-9_-]*") || title == null) {
            throw new IllegalArgumentException("a section id is a letter, then letters, digits, - or _, and a "
                    + "section with an id has a title: " + id);
        }
        if (place == null || body == null) {
            throw new IllegalArgumentException("a section needs a place and a body");
        }
    }

    public ReportSection(String id, String title, Content body) {
        this(id, title, Place.MAIN, body);
    }

    /**
     * The section listing {@code items} ({@code body} draws the list), or none when there are none: what an
     * experiment's extension gives the index and a layer's page.
     */
    public static <T> List<ReportSection> listing(String id, String title, List<T> items,
                                                  Function<List<T>, Content> body) {
        return items.isEmpty() ? List.of() : List.of(new ReportSection(id, title, body.apply(items)));
    }

    /** A page's introduction: {@code <section class="intro">BODY</section>}, first on the index page. */
    public static ReportSection intro(Content body) {
        return new ReportSection(null, null, Place.TOP, body);
    }

    /** The section as markup, for a page that lists others' sections. */
    public Content html() {
        return Templates.section(this);
    }
}
