package org.jdissect.report;

import java.util.Optional;

/**
 * The unit cards of one layer, as the extension that draws them publishes them ({@link Site#publish}), so that
 * other pages can link a unit to its card and show its label beside it.
 */
public interface UnitCards {
    /** The layer (tensor) name, as the model spells it. */
    String layer();

    /** How many units the layer has; units are numbered from 1. */
    int units();

    /** The page the cards are on. */
    String page();

    /** The card of {@code unit} (1-based), or empty for a unit the layer does not have. */
    Optional<Card> card(int unit);

    /**
     * A unit's card.
     *
     * @param link   relative to any page of the report
     * @param colour its category's colour in the report
     */
    record Card(String link, String label, String category, String colour, double iou, boolean interpretable) {
    }
}
