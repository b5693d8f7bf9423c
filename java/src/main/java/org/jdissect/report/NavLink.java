package org.jdissect.report;

/**
 * An entry of the navigation in every page's header.
 *
 * @param href  a page of the report, e.g. {@code layer-conv5.html}
 * @param label what the header shows (short)
 * @param title the whole name, shown on hover
 */
public record NavLink(String href, String label, String title) {
}
