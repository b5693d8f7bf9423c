package org.jdissect.compose.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jdissect.compose.ComposeRecord;
import org.jdissect.data.ImageLabels;
import org.junit.jupiter.api.Test;

class FormulaPicturesTest {
    static ComposeRecord.Term term(String op, int label) {
        return new ComposeRecord.Term(op, label, "c" + label, "x");
    }

    static String mask(ImageLabels il, ComposeRecord.Term... terms) {
        boolean[] m = FormulaPictures.mask(il, new ComposeRecord.Explained("f", terms.length, List.of(terms), 0, 0, 0));
        StringBuilder s = new StringBuilder();
        for (boolean b : m) {
            s.append(b ? '1' : '0');
        }
        return s.toString();
    }

    /** Two label layers over 2 x 3 pixels and an image-level label 9: each operator on known masks. */
    @Test
    void theMaskIsTheFormulaOnTheLabelMaps() {
        ImageLabels il = new ImageLabels(2, 3, new int[][] {{1, 1, 2, 0, 2, 3}, {0, 3, 3, 1, 0, 0}}, new int[] {9});
        assertThat(mask(il, term(null, 1))).isEqualTo("110100");
        assertThat(mask(il, term(null, 3))).isEqualTo("011001");
        assertThat(mask(il, term(null, 1), term("OR", 2))).isEqualTo("111110");
        assertThat(mask(il, term(null, 1), term("AND", 3))).isEqualTo("010000");
        assertThat(mask(il, term(null, 1), term("AND NOT", 3))).isEqualTo("100100");
        // an image-level label covers the whole image; left to right: (9 AND NOT 2) OR 3
        assertThat(mask(il, term(null, 9), term("AND NOT", 2), term("OR", 3))).isEqualTo("111101");
        assertThat(mask(il, term(null, 4))).isEqualTo("000000");
    }
}
