package org.jdissect.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Writes a tiny dataset whose statistics are worked out by hand below, reads it back, and checks every number.
 *
 * <pre>
 * image a (7 wide x 5 high), labels 3 x 5 (15 px):
 *   color   red(1) 8 px, blue(2) 2 px
 *   object  tree(300) 2 px, blue(2) 2 px, door(301) 2 px
 *   part    layer 1: door 1 px; layer 2: trunk(700) 1 px, door 2 px   -> door 3 px in part
 *   scene   kitchen(5)
 * image b (3 x 1), labels 2 x 3 (6 px): object tree 3 px; scene empty
 * image c (4 x 4), labels 4 x 4: nothing
 * primary: red color; blue color/object tie (2/15 each) -> the later chosen one; tree object; door part (3/15 > 2/15);
 * trunk part; kitchen scene; unused(9) none.
 * </pre>
 */
class BrodenRoundTripTest {
    static final List<String> CATS = List.of("color", "object", "part", "scene");
    static final int[] A_COLOR = {1, 1, 1, 2, 2, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    static final int[] A_OBJECT = {300, 300, 0, 0, 0, 2, 2, 0, 301, 301, 0, 0, 0, 0, 0};
    static final int[] A_PART1 = {0, 0, 0, 0, 0, 0, 0, 0, 301, 0, 0, 0, 0, 0, 0};
    static final int[] A_PART2 = {700, 0, 0, 0, 0, 0, 0, 0, 0, 301, 301, 0, 0, 0, 0};
    static final int[] B_OBJECT = {300, 300, 300, 0, 0, 0};

    @TempDir
    static Path tmp;
    static Path dir;
    static BufferedImage imageA;

    @BeforeAll
    static void write() {
        dir = tmp.resolve("tiny");
        imageA = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                imageA.setRGB(x, y, (x * 30) << 16 | (y * 50) << 8 | (x * y));
            }
        }
        try (BrodenWriter w = BrodenWriter.create(dir, CATS, BrodenWriter.ImageFormat.PNG)) {
            w.label(1, "red").label(2, "blue", List.of("azure", "navy")).label(5, "kitchen")
                    .label(9, "unused").label(300, "tree, oak").label(301, "door \"front\"").label(700, "trunk");
            assertThat(w.addImage("sw/a", "train", imageA, 3, 5,
                    Map.of("color", List.of(A_COLOR), "object", List.of(A_OBJECT), "part", List.of(A_PART1, A_PART2)),
                    Map.of("scene", new int[]{5}))).isEqualTo("sw/a.png");
            w.addImage("sw/b", "val", new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB), 2, 3,
                    Map.of("object", List.of(B_OBJECT)), Map.of("scene", new int[0]));
            w.addImage("c", "train", new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), 4, 4, Map.of(), Map.of());
            w.finish();
        }
    }

    @Test
    void categoriesLabelsAndNames() {
        BrodenDataset d = BrodenDataset.open(dir, null, false);
        assertThat(d.categories()).isEqualTo(CATS);
        assertThat(d.numLabels()).isEqualTo(701);
        assertThat(d.labelName(0)).isEqualTo("-");
        assertThat(d.labelName(300)).isEqualTo("tree, oak");
        assertThat(d.labelName(301)).isEqualTo("door \"front\"");
        assertThat(d.labelName(42)).isEmpty();
        assertThat(d.labels()).extracting(Label::number).containsExactly(1, 2, 5, 9, 300, 301, 700);
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.skipped()).isZero();
    }

    @Test
    void labelStatisticsAreComputedFromTheImages() {
        Map<Integer, Label> byNumber = BrodenDataset.open(dir, null, false).labels().stream()
                .collect(java.util.stream.Collectors.toMap(Label::number, l -> l));
        Label blue = byNumber.get(2);
        assertThat(blue.categoryCounts()).containsExactly(Map.entry("color", 1), Map.entry("object", 1));
        assertThat(blue.frequency()).isEqualTo(1);
        assertThat(blue.coverage()).isCloseTo(4.0 / 15, within(1e-12));
        assertThat(blue.syns()).containsExactly("azure", "navy");
        Label tree = byNumber.get(300);
        assertThat(tree.categoryCounts()).containsExactly(Map.entry("object", 2));
        assertThat(tree.frequency()).isEqualTo(2);
        assertThat(tree.coverage()).isCloseTo(2.0 / 15 + 0.5, within(1e-12));
        Label door = byNumber.get(301);
        assertThat(door.categoryCounts()).containsExactly(Map.entry("object", 1), Map.entry("part", 1));
        assertThat(door.coverage()).isCloseTo(5.0 / 15, within(1e-12));
        assertThat(byNumber.get(5).coverage()).isEqualTo(1.0);
        assertThat(byNumber.get(5).categoryCounts()).containsExactly(Map.entry("scene", 1));
        assertThat(byNumber.get(9).categoryCounts()).isEmpty();
        assertThat(byNumber.get(9).frequency()).isZero();
    }

    @Test
    void categoryAndCodeFiles() throws Exception {
        assertThat(Files.readAllLines(dir.resolve("category.csv"))).containsExactly(
                "name,first,last,count,frequency",
                "color,1,2,2,1",
                "object,2,301,3,2",
                "part,301,700,2,1",
                "scene,5,5,1,1");
        List<String> part = Files.readAllLines(dir.resolve("c_part.csv"));
        assertThat(part).hasSize(4);
        assertThat(part.get(0)).isEqualTo("code,number,name,frequency,coverage");
        assertThat(part.get(1)).isEqualTo("0,0,-,0,0.0");
        assertThat(part.get(2)).startsWith("1,301,\"door \"\"front\"\"\",1,0.2");
        assertThat(part.get(3)).startsWith("2,700,trunk,1,0.0666");
    }

    @Test
    void primaryCategoriesFollowLargestCoverageTiesToTheLater() {
        int[] primary = BrodenDataset.open(dir, null, false).primaryCategory();
        assertThat(primary).hasSize(701);
        assertThat(primary[0]).isEqualTo(-1);
        assertThat(primary[1]).isEqualTo(0);   // red: color
        assertThat(primary[2]).isEqualTo(1);   // blue: tie color/object -> object (later)
        assertThat(primary[5]).isEqualTo(3);   // kitchen: scene
        assertThat(primary[9]).isEqualTo(-1);  // unused
        assertThat(primary[300]).isEqualTo(1); // tree: object
        assertThat(primary[301]).isEqualTo(2); // door: part 3/15 beats object 2/15
        assertThat(primary[700]).isEqualTo(2);
        assertThat(primary[42]).isEqualTo(-1); // not a label

        // the tie follows the chosen order, not the file's
        BrodenDataset reordered = BrodenDataset.open(dir, List.of("object", "color"), false);
        int[] p2 = reordered.primaryCategory();
        assertThat(p2[2]).isEqualTo(1);        // blue -> color, now the later one
        assertThat(p2[1]).isEqualTo(1);
        assertThat(p2[301]).isEqualTo(0);      // part not chosen: object
        assertThat(p2[700]).isEqualTo(-1);
        assertThat(p2[5]).isEqualTo(-1);
    }

    @Test
    void rowsCellsAndLabelLayers() {
        BrodenDataset d = BrodenDataset.open(dir, null, false);
        IndexRow a = d.row(0);
        assertThat(a.line()).isEqualTo(2);
        assertThat(a.image()).isEqualTo("sw/a.png");
        assertThat(a.split()).isEqualTo("train");
        assertThat(List.of(a.ih(), a.iw(), a.sh(), a.sw())).containsExactly(5, 7, 3, 5);
        assertThat(a.cells()).containsExactly(List.of("sw/a_color.png"), List.of("sw/a_object.png"),
                List.of("sw/a_part_1.png", "sw/a_part_2.png"), List.of("5"));

        ImageLabels la = d.readLabels(0);
        assertThat(la.sh()).isEqualTo(3);
        assertThat(la.sw()).isEqualTo(5);
        assertThat(la.layers()).isEqualTo(new int[][]{A_COLOR, A_OBJECT, A_PART1, A_PART2});
        assertThat(la.imageLevel()).containsExactly(5);

        ImageLabels lb = d.readLabels(1);
        assertThat(lb.layers()).isEqualTo(new int[][]{B_OBJECT});
        assertThat(lb.imageLevel()).isEmpty();
        assertThat(d.row(1).cells()).containsExactly(List.of(), List.of("sw/b_object.png"), List.of(), List.of());
        assertThat(d.row(1).split()).isEqualTo("val");

        ImageLabels lc = d.readLabels(2);
        assertThat(lc.layers()).isEmpty();
        assertThat(lc.imageLevel()).isEmpty();
        assertThat(lc.sh()).isEqualTo(4);

        assertThat(d.hasLabels(0)).isTrue();
        assertThat(d.hasLabels(1)).isTrue();
        assertThat(d.hasLabels(2)).isFalse();
    }

    @Test
    void chosenCategoriesRestrictCellsLayersAndImageLevel() {
        BrodenDataset d = BrodenDataset.open(dir, List.of("scene", "color"), false);
        assertThat(d.categories()).containsExactly("scene", "color");
        assertThat(d.row(0).cells()).containsExactly(List.of("5"), List.of("sw/a_color.png"));
        assertThat(d.readLabels(0).layers()).isEqualTo(new int[][]{A_COLOR});
        assertThat(d.readLabels(0).imageLevel()).containsExactly(5);
        assertThat(d.hasLabels(1)).isFalse(); // b has only an object layer
        assertThat(d.readLabels(1).layers()).isEmpty();
    }

    @Test
    void imagesComeBackPixelExactInPng() {
        BufferedImage back = BrodenDataset.open(dir, null, false).readImage(0);
        assertThat(back.getWidth()).isEqualTo(7);
        assertThat(back.getHeight()).isEqualTo(5);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                assertThat(back.getRGB(x, y)).isEqualTo(imageA.getRGB(x, y));
            }
        }
    }

    @Test
    void jpegImagesRoundTripApproximately() {
        Path jdir = tmp.resolve("jpeg");
        BufferedImage image = new BufferedImage(33, 17, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 33; x++) {
                image.setRGB(x, y, 0xff000000 | 0x406080);
            }
        }
        try (BrodenWriter w = BrodenWriter.create(jdir, List.of("scene"), BrodenWriter.ImageFormat.JPEG)) {
            w.label(3, "beach");
            assertThat(w.addImage("x", "train", image, 17, 33, Map.of(), Map.of("scene", new int[]{3}))).isEqualTo("x.jpg");
            w.finish();
        }
        BrodenDataset d = BrodenDataset.open(jdir, null, false);
        BufferedImage back = d.readImage(0);
        assertThat(back.getWidth()).isEqualTo(33);
        assertThat(back.getHeight()).isEqualTo(17);
        int rgb = back.getRGB(16, 8);
        assertThat((rgb >> 16) & 0xff).isCloseTo(0x40, within(4));
        assertThat((rgb >> 8) & 0xff).isCloseTo(0x60, within(4));
        assertThat(rgb & 0xff).isCloseTo(0x80, within(4));
        assertThat(d.readLabels(0).imageLevel()).containsExactly(3);
        assertThat(d.primaryCategory()[3]).isZero();
    }

    @Test
    void fingerprintIsStableAndFollowsContent() throws Exception {
        String f = BrodenDataset.open(dir, null, false).fingerprint();
        assertThat(f).matches("[0-9a-f]{16}");
        assertThat(BrodenDataset.open(dir, List.of("color"), false).fingerprint()).isEqualTo(f);
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        assertThat(BrodenDataset.open(copy, null, false).fingerprint()).isEqualTo(f);
        Files.writeString(copy.resolve("label.csv"), Files.readString(copy.resolve("label.csv")).replace("trunk", "trunc"));
        assertThat(BrodenDataset.open(copy, null, false).fingerprint()).isNotEqualTo(f);
    }

    @Test
    void concurrentReadsAgree() throws Exception {
        BrodenDataset d = BrodenDataset.open(dir, null, false);
        List<Integer> work = java.util.stream.IntStream.range(0, 2000).boxed().toList();
        long mismatches = work.parallelStream().filter(k -> {
            ImageLabels l = d.readLabels(k % 3);
            BufferedImage im = d.readImage(k % 3);
            return switch (k % 3) {
                case 0 -> !(l.layers().length == 4 && java.util.Arrays.equals(l.layers()[3], A_PART2) && im.getWidth() == 7);
                case 1 -> !(java.util.Arrays.equals(l.layers()[0], B_OBJECT) && im.getWidth() == 3);
                default -> !(l.layers().length == 0 && im.getWidth() == 4);
            };
        }).count();
        assertThat(mismatches).isZero();
    }
}
