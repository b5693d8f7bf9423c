package org.jdissect.intervene.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

/** The explained image as the report keeps it: scaled down by box means, a small one untouched. */
class ExplainPagesTest {
    @Test
    void aLargeImageIsScaledDownToTheMeanOfEachBox() {
        // 1024 x 512, a 4 x 4 box per kept pixel: a checkerboard of black and white pixels on the left half (mean
        // 127.5, rounded up), red on the right
        BufferedImage image = new BufferedImage(1024, 512, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 1024; x++) {
                image.setRGB(x, y, x >= 512 ? 0xff0000 : (x + y) % 2 == 0 ? 0xffffff : 0);
            }
        }
        BufferedImage kept = ExplainPages.scaledDown(image);
        assertThat(kept.getWidth()).isEqualTo(ExplainPages.IMAGE_SIDE);
        assertThat(kept.getHeight()).isEqualTo(ExplainPages.IMAGE_SIDE / 2);
        for (int y = 0; y < kept.getHeight(); y++) {
            for (int x = 0; x < kept.getWidth(); x++) {
                int expected = x >= kept.getWidth() / 2 ? 0xff0000 : 0x808080;
                assertThat(kept.getRGB(x, y) & 0xffffff).as("pixel %d,%d", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSmallImageIsKeptAsItIs() {
        BufferedImage image = new BufferedImage(ExplainPages.IMAGE_SIDE, 3, BufferedImage.TYPE_INT_RGB);
        assertThat(ExplainPages.scaledDown(image)).isSameAs(image);
    }
}
