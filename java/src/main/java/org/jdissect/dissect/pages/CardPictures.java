package org.jdissect.dissect.pages;

import java.util.List;

/** What a unit's card shows of its top images, laid out (sizes in pixels) for the cards template. */
sealed interface CardPictures {
    /** No picture, and why. */
    record None(String why) implements CardPictures {
    }

    /**
     * Thumbnails side by side in a strip {@code width x cell}, and over them the unit's row of a mask sprite
     * ({@code spriteWidth x spriteHeight}, shifted up by {@code top}).
     */
    record Thumbnails(int width, int cell, List<Thumb> thumbs, String sprite, int spriteWidth, int spriteHeight,
                      int top) implements CardPictures {
        /** Pixels between two cells, in the strip and in the sprite. */
        public int gap() {
            return org.jdissect.report.UnitImages.GAP;
        }
    }

    /** A thumbnail: its link, the image's name, and its tooltip (rank, name, the unit's maximum). */
    record Thumb(String src, String name, String title) {
    }
}
