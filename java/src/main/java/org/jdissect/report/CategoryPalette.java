package org.jdissect.report;

import java.util.List;

/**
 * A colour per category, the same on every page and chart of a report: by the category's place in the order the
 * results give (so that the first categories get the most distinct colours), by its hash when it is not listed.
 */
public final class CategoryPalette {
    static final String[] COLOURS = {"#d1495b", "#2e86ab", "#3f9c4a", "#8e5ea2", "#e08e0b", "#1b998b", "#a0522d",
        "#c2549d", "#5c6b7a", "#9aa21b"};

    private final List<String> categories;

    public CategoryPalette(List<String> categories) {
        this.categories = List.copyOf(categories);
    }

    public List<String> categories() {
        return categories;
    }

    /** A CSS colour, {@code #rrggbb}. */
    public String colour(String category) {
        int i = categories.indexOf(category);
        return COLOURS[Math.floorMod(i < 0 ? category.hashCode() : i, COLOURS.length)];
    }
}
