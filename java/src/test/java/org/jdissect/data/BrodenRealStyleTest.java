package org.jdissect.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a dataset written by hand in the style of the real Broden download. */
class BrodenRealStyleTest {
    @TempDir
    static Path dir;
    static BrodenDataset data;

    @BeforeAll
    static void open() throws Exception {
        RealStyleBroden.write(dir);
        data = BrodenDataset.open(dir, null, false);
    }

    @Test
    void categoriesComeInCategoryCsvOrder() {
        assertThat(data.categories()).containsExactly("color", "object", "part", "material", "scene", "texture");
        assertThat(data.size()).isEqualTo(4);
        assertThat(data.numLabels()).isEqualTo(820);
    }

    @Test
    void quotedLabelRowsAreParsed() {
        assertThat(data.labelName(12)).isEqualTo("person");
        assertThat(data.labelName(13)).isEqualTo("table, dining");
        assertThat(data.labelName(38)).isEqualTo("art studio");
        Label person = data.labels().get(2);
        assertThat(person.number()).isEqualTo(12);
        assertThat(person.categoryCounts()).containsExactly(Map.entry("object", 5672), Map.entry("part", 3));
        assertThat(person.frequency()).isEqualTo(5675);
        assertThat(person.coverage()).isEqualTo(1032.5);
        assertThat(person.syns()).containsExactly("person", "individual", "someone");
        Label black = data.labels().get(0);
        assertThat(black.coverage()).isEqualTo(79.8135);
        assertThat(black.syns()).isEmpty();
    }

    @Test
    void integersWrittenAsFloatsAreAccepted() throws Exception {
        Path copy = dir.resolve("floats-copy"); // inside the temporary folder, so it is cleaned up
        RealStyleBroden.write(copy);
        java.nio.file.Files.writeString(copy.resolve("label.csv"),
                RealStyleBroden.LABEL_CSV.replace("1,black,color(289),289,", "1.0,black,color(289.0),289.0,"));
        Label black = BrodenDataset.open(copy, null, false).labels().get(0);
        assertThat(black.number()).isEqualTo(1);
        assertThat(black.frequency()).isEqualTo(289);
        assertThat(black.categoryCounts()).containsExactly(Map.entry("color", 289));
    }

    @Test
    void primaryCategoriesComeFromCodeFileCoverage() {
        int[] p = data.primaryCategory();
        assertThat(p[1]).isEqualTo(0);
        assertThat(p[2]).isEqualTo(0);    // blue: color 200.0 beats object 0.08
        assertThat(p[12]).isEqualTo(1);   // person: object 1032 beats part 0.5
        assertThat(p[600]).isEqualTo(2);
        assertThat(p[819]).isEqualTo(3);
        assertThat(p[38]).isEqualTo(4);
        assertThat(p[194]).isEqualTo(5);
        assertThat(p[314]).isEqualTo(5);
        assertThat(p[0]).isEqualTo(-1);
    }

    @Test
    void theDtdRowOfTheFormatDescription() {
        IndexRow row = data.row(0);
        assertThat(row.line()).isEqualTo(2);
        assertThat(row.image()).isEqualTo("dtd/g_0106.jpg");
        assertThat(List.of(row.ih(), row.iw(), row.sh(), row.sw())).containsExactly(346, 368, 346, 368);
        assertThat(row.cells()).containsExactly(List.of("dtd/g_0106_color.png"), List.of(), List.of(), List.of(),
                List.of(), List.of("314", "194"));
        ImageLabels labels = data.readLabels(0);
        assertThat(labels.sh()).isEqualTo(346);
        assertThat(labels.sw()).isEqualTo(368);
        assertThat(labels.layers()).hasNumberOfRows(1);
        int[] color = labels.layers()[0];
        for (int y = 0; y < 346; y += 7) {
            for (int x = 0; x < 368; x += 3) {
                assertThat(color[y * 368 + x]).isEqualTo(RealStyleBroden.dtdColor(x, y));
            }
        }
        assertThat(labels.imageLevel()).containsExactly(314, 194);
        BufferedImage image = data.readImage(0);
        assertThat(image.getWidth()).isEqualTo(368);
        assertThat(image.getHeight()).isEqualTo(346);
    }

    @Test
    void severalPartLayersAndTheGChannel() {
        ImageLabels labels = data.readLabels(1);
        assertThat(labels.layers()).hasNumberOfRows(4);
        int[] object = labels.layers()[1];
        int[] part1 = labels.layers()[2];
        int[] part2 = labels.layers()[3];
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                int i = y * 112 + x;
                assertThat(labels.layers()[0][i]).isEqualTo(2);
                assertThat(object[i]).isEqualTo(RealStyleBroden.adeObject(x, y));
                assertThat(part1[i]).isEqualTo(RealStyleBroden.adePart1(x, y));
                assertThat(part2[i]).isEqualTo(RealStyleBroden.adePart2(x, y));
            }
        }
        assertThat(labels.imageLevel()).containsExactly(38);
    }

    @Test
    void choosingCategoriesOfARealStyleDataset() {
        BrodenDataset objects = BrodenDataset.open(dir, List.of("object", "material"), false);
        assertThat(objects.hasLabels(0)).isFalse();   // dtd has only color and texture
        assertThat(objects.hasLabels(2)).isTrue();
        assertThat(objects.readLabels(0).layers()).isEmpty();
        assertThat(objects.readLabels(0).imageLevel()).isEmpty();
        assertThat(objects.readLabels(3).layers()[0]).containsOnly(819);
        assertThat(objects.primaryCategory()[819]).isEqualTo(1);
        assertThat(objects.primaryCategory()[1]).isEqualTo(-1);
        assertThat(objects.primaryCategory()[2]).isEqualTo(0);  // blue: object is the only chosen category it has
        int[] pascal = objects.readLabels(2).layers()[0];
        assertThat(pascal).hasSize(30);
        assertThat(pascal[0]).isEqualTo(13);
        assertThat(pascal[1]).isZero();
        assertThat(pascal[6]).isEqualTo(13);
    }
}
