package org.jdissect.report;

/**
 * A line another extension adds to a unit's card (a compositional explanation, ...): {@code <dt>label</dt>} then
 * the text with its value in bold and the detail after it; {@code title} is the tooltip saying what it is.
 */
public record CardNote(String label, String text, String value, String detail, String title) {
}
