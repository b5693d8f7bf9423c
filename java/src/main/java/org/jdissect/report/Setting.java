package org.jdissect.report;

import java.util.List;

import gg.jte.Content;

/**
 * A line of a page's list of settings: a name and its value, as text or, where it links (units to their cards), as
 * markup from a template.
 */
public record Setting(String name, String text, Content html) {
    public static Setting of(String name, String text) {
        return new Setting(name, text, null);
    }

    public static Setting of(String name, Content html) {
        return new Setting(name, null, html);
    }

    /** {@code <dl class="settings">}: the settings, one name and value a line. */
    public static Content list(List<Setting> settings) {
        return Templates.settings(settings);
    }
}
