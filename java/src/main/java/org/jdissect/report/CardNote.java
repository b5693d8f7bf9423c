package org.jdissect.report;

/**
 * A line another extension adds to a unit's card (a compositional explanation, ...): {@code <dt>label</dt>} then
 * the text with its value in bold and the detail after it; {@code title} is the tooltip saying what it is; and,
 * where the extension drew one, a picture under it (a strip beside the card's top images).
 */
public record CardNote(String label, String text, String value, String detail, String title, Picture picture) {
    public CardNote(String label, String text, String value, String detail, String title) {
        this(label, text, value, detail, title, null);
    }

    /** A picture in the site: its link, its size on the page, and what it shows (its alt text). */
    public record Picture(String link, int width, int height, String alt) {
    }
}
