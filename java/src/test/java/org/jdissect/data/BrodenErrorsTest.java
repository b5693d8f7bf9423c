package org.jdissect.data;

import org.jdissect.JdissectException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every user mistake ends in one message naming the file and, for rows, the line. */
class BrodenErrorsTest {
    @TempDir
    Path tmp;
    Path dir;
    Path index;

    @BeforeEach
    void write() throws Exception {
        dir = tmp.resolve("broden");
        RealStyleBroden.write(dir);
        index = dir.resolve("index.csv");
    }

    /** index.csv with {@code extra} appended as rows 6, 7, ... */
    private void appendRows(String... extra) throws Exception {
        Files.writeString(index, RealStyleBroden.INDEX_CSV + String.join("", extra));
    }

    private JdissectException openFails() {
        return catchThrowableOfType(() -> BrodenDataset.open(dir, null, false), JdissectException.class);
    }

    @Test
    void missingCsvFilesAreNamed() throws Exception {
        for (String name : List.of("index.csv", "label.csv", "category.csv")) {
            Path file = dir.resolve(name);
            byte[] keep = Files.readAllBytes(file);
            Files.delete(file);
            assertThat(openFails()).as(name).hasMessageContaining("missing").hasMessageContaining(file.toString());
            Files.write(file, keep);
        }
        assertThat(BrodenDataset.open(dir, null, false).size()).isEqualTo(4);
    }

    @Test
    void missingDirectoryIsNamed() {
        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> BrodenDataset.open(nowhere, null, false)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(nowhere.toString());
    }

    @Test
    void missingCodeFileIsNamedOnlyWhenItsCategoryIsChosen() throws Exception {
        Files.delete(dir.resolve("c_texture.csv"));
        assertThat(openFails()).hasMessageContaining("c_texture.csv").hasMessageContaining("primary");
        assertThat(BrodenDataset.open(dir, List.of("color", "object"), false).size()).isEqualTo(4);
    }

    @Test
    void unknownCategoryIsAUsageErrorListingTheValidOnes() {
        JdissectException e = catchThrowableOfType(() -> BrodenDataset.open(dir, List.of("color", "colour"), false),
                JdissectException.class);
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e).hasMessageContaining("'colour'")
                .hasMessageContaining("color, object, part, material, scene, texture");
    }

    @Test
    void wrongColumnCount() throws Exception {
        appendRows("x.jpg,train,1,1,1,1,,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("8 columns")
                .hasMessageContaining("12");
    }

    @Test
    void nonNumericSize() throws Exception {
        appendRows("x.jpg,train,1,abc,1,1,,,,,,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("iw 'abc'");
    }

    @Test
    void imageLevelCellThatIsNotANumber() throws Exception {
        appendRows(RealStyleBroden.ROW_OS.replace("opensurfaces/1.jpg", "opensurfaces/1b.jpg"),
                "x.jpg,train,1,1,1,1,,,,,kitchen,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 7").hasMessageContaining("scene")
                .hasMessageContaining("'kitchen'");
    }

    @Test
    void labelNumberOutOfRangeOrUndefined() throws Exception {
        appendRows("x.jpg,train,1,1,1,1,,,,,,99999\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("99999")
                .hasMessageContaining("out of range");
        appendRows("x.jpg,train,1,1,1,1,,,,,7,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("label number 7")
                .hasMessageContaining("not defined");
    }

    @Test
    void badIndexHeader() throws Exception {
        Files.writeString(index, "img,split,ih,iw,sh,sw,color\n");
        assertThat(openFails()).hasMessageContaining(index + " line 1").hasMessageContaining("image,split,ih,iw,sh,sw");
        Files.writeString(index, "image,split,ih,iw,sh,sw,color,object\n");
        assertThat(openFails()).hasMessageContaining(index + " line 1").hasMessageContaining("'part'");
    }

    @Test
    void malformedLabelCsvAndCodeCsv() throws Exception {
        Path label = dir.resolve("label.csv");
        Files.writeString(label, RealStyleBroden.LABEL_CSV.replace("2,blue,", "two,blue,"));
        assertThat(openFails()).hasMessageContaining(label + " line 3").hasMessageContaining("'two'");
        Files.writeString(label, RealStyleBroden.LABEL_CSV + "5,\"open quote,x(1),1,1.0,\n");
        assertThat(openFails()).hasMessageContaining(label + " line 11").hasMessageContaining("never closed");
        Files.writeString(label, RealStyleBroden.LABEL_CSV);
        Path code = dir.resolve("c_part.csv");
        Files.writeString(code, Files.readString(code) + "3,9999,ghost,1,1.0\n");
        assertThat(openFails()).hasMessageContaining(code + " line 5").hasMessageContaining("9999");
    }

    @Test
    void corruptPngNamesFileAndLine() throws Exception {
        Path png = dir.resolve("images/ade20k/ADE_train_00000001_part_2.png");
        byte[] bytes = Files.readAllBytes(png);
        Files.write(png, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readLabels(1)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("corrupt").hasMessageContaining(png.toRealPath().toString())
                .hasMessageContaining(index + " line 3");
        Files.writeString(png, "not a png");
        assertThatThrownBy(() -> data.readLabels(1)).hasMessageContaining(png.toRealPath().toString());
        assertThat(data.readLabels(0).layers()).hasNumberOfRows(1); // other rows still read
    }

    @Test
    void labelMapOfTheWrongSize() throws Exception {
        Path png = dir.resolve("images/pascal/2008_000001_object.png");
        RealStyleBroden.writeMap(png, 5, 6, (x, y) -> 0);
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readLabels(2)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(png.toRealPath().toString()).hasMessageContaining("6x5")
                .hasMessageContaining("5x6").hasMessageContaining(index + " line 4");
    }

    @Test
    void labelMapWithUnknownLabelNumbers() throws Exception {
        Path png = dir.resolve("images/opensurfaces/1_material.png");
        RealStyleBroden.writeMap(png, 4, 4, (x, y) -> x == 2 && y == 3 ? 5000 : 819);
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readLabels(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(png.toRealPath().toString()).hasMessageContaining("5000")
                .hasMessageContaining("x=2, y=3").hasMessageContaining(index + " line 5");
        RealStyleBroden.writeMap(png, 4, 4, (x, y) -> x == 1 ? 3 : 819); // 3 < numLabels but not in label.csv
        assertThatThrownBy(() -> data.readLabels(3)).hasMessageContaining("label number 3")
                .hasMessageContaining("does not define");
    }

    @Test
    void missingAndCorruptImages() throws Exception {
        Path jpg = dir.resolve("images/pascal/2008_000001.jpg");
        Files.delete(jpg);
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readImage(2)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("missing").hasMessageContaining(jpg.toString())
                .hasMessageContaining(index + " line 4");
        Files.writeString(jpg, "\u00ff\u00d8 truncated jpeg");
        assertThatThrownBy(() -> data.readImage(2)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("corrupt image").hasMessageContaining(jpg.toRealPath().toString())
                .hasMessageContaining(index + " line 4");
    }

    @Test
    void absoluteAndDotDotPathsAreRejectedWithLineAndValue() throws Exception {
        appendRows("/etc/passwd,train,1,1,1,1,,,,,,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("'/etc/passwd'")
                .hasMessageContaining("absolute");
        appendRows("x.jpg,train,1,1,1,1,../../secret.png,,,,,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("'../../secret.png'")
                .hasMessageContaining("..");
        appendRows("x.jpg,train,1,1,1,1,,ok.png;a/../../b.png,,,,\n");
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("'a/../../b.png'");
    }

    @Test
    void symlinksOutOfTheDatasetAreRejected() throws Exception {
        Path secret = tmp.resolve("secret.png");
        Files.copy(dir.resolve("images/opensurfaces/1_material.png"), secret);
        Path link = dir.resolve("images/opensurfaces/1_material.png");
        Files.delete(link);
        Files.createSymbolicLink(link, secret);
        Path secretJpg = tmp.resolve("secret.jpg");
        Path jpgLink = dir.resolve("images/opensurfaces/1.jpg");
        Files.move(jpgLink, secretJpg);
        Files.createSymbolicLink(jpgLink, secretJpg);
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readLabels(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(index + " line 5").hasMessageContaining("'opensurfaces/1_material.png'")
                .hasMessageContaining("outside the dataset");
        assertThatThrownBy(() -> data.readImage(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(index + " line 5").hasMessageContaining("'opensurfaces/1.jpg'")
                .hasMessageContaining("outside the dataset");
    }

    @Test
    void symlinksInsideTheDatasetAndALinkedDatasetFolderAreFine() throws Exception {
        Path map = dir.resolve("images/opensurfaces/1_material.png");
        Path moved = dir.resolve("images/elsewhere.png");
        Files.move(map, moved);
        Files.createSymbolicLink(map, moved);
        assertThat(BrodenDataset.open(dir, null, false).readLabels(3).layers()[0]).containsOnly(819);

        // a dataset on another disk is linked as a whole
        Path linked = tmp.resolve("linked-broden");
        Files.createSymbolicLink(linked, dir);
        BrodenDataset data = BrodenDataset.open(linked, null, false);
        assertThat(data.readLabels(3).layers()[0]).containsOnly(819);
        assertThat(data.readImage(3).getWidth()).isEqualTo(8);
    }

    /** A linked images folder could lead anywhere (to /, making rows like etc/passwd readable): refused. */
    @Test
    void aLinkedImagesFolderOrCsvFileIsRefused() throws Exception {
        Path disk = tmp.resolve("otherdisk");
        Files.move(dir.resolve("images"), disk);
        Files.createSymbolicLink(dir.resolve("images"), disk);
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readImage(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(index + " line 5").hasMessageContaining("'opensurfaces/1.jpg'")
                .hasMessageContaining("outside the dataset");
        Files.delete(dir.resolve("images"));
        Files.move(disk, dir.resolve("images"));

        Path label = dir.resolve("label.csv");
        Path outside = tmp.resolve("label-outside.csv");
        Files.move(label, outside);
        Files.createSymbolicLink(label, outside);
        assertThatThrownBy(() -> BrodenDataset.open(dir, null, false)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("label.csv").hasMessageContaining("outside the dataset");
    }

    /**
     * Decompression bombs: an image whose header declares far more pixels than its row (here 12,000 x 12,000 for an
     * 8 x 8 row), and a label map of the wrong size, are refused from their headers, before any decoding.
     */
    @Test
    void bombsAreRefusedBeforeDecoding() throws Exception {
        Files.write(dir.resolve("images/opensurfaces/1.jpg"), ImageDecoderTest.pngHeaderOnly(12000, 12000));
        Files.write(dir.resolve("images/opensurfaces/1_material.png"), ImageDecoderTest.pngHeaderOnly(20000, 20000));
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readImage(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("corrupt image").hasMessageContaining(index + " line 5")
                .hasMessageContaining("declares 12000 x 12000 pixels");
        assertThatThrownBy(() -> data.readLabels(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("is 20000x20000").hasMessageContaining(index + " line 5");
    }

    /** A named pipe would block a read forever: only regular files are read. */
    @Test
    void aPipeInPlaceOfAnImageOrALabelMapIsRefusedAtOnce() throws Exception {
        Path map = dir.resolve("images/opensurfaces/1_material.png");
        Files.delete(map);
        Process mkfifo = new ProcessBuilder("mkfifo", map.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThatThrownBy(() -> data.readLabels(3)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("not a regular file").hasMessageContaining(index + " line 5");
    }

    @Test
    void skipBadSkipsAndCountsMalformedRows() throws Exception {
        appendRows("x.jpg,train,1,1,1,1,,\n",                       // line 6: columns
                "x.jpg,train,one,1,1,1,,,,,,\n",                   // line 7: size
                RealStyleBroden.ROW_PASCAL.replace("val", "test").replace("2008_000001.jpg", "2008_000002.jpg"),
                                                                   // line 8: fine
                "/abs.jpg,train,1,1,1,1,,,,,,\n",                  // line 9: escape
                "x.jpg,train,1,1,1,1,,,,,99999,\n");               // line 10: label
        BrodenDataset data = BrodenDataset.open(dir, null, true);
        assertThat(data.skipped()).isEqualTo(4);
        assertThat(data.size()).isEqualTo(5);
        assertThat(data.row(4).line()).isEqualTo(8);
        assertThat(data.row(4).split()).isEqualTo("test");
        assertThat(data.readLabels(4).layers()[0][0]).isEqualTo(13);
        assertThat(BrodenDataset.open(dir, List.of("color"), true).skipped()).isEqualTo(3); // 99999 is in scene
        assertThat(data.skippedReasons()).hasSize(4).allSatisfy(r -> assertThat(r).startsWith(index + " line "))
                .anySatisfy(r -> assertThat(r).contains("line 9", "absolute path"));
        assertThat(openFails()).hasMessageContaining(index + " line 6").hasMessageContaining("--skip-bad");
    }

    /** An image listed twice would weigh twice in every threshold and tally: the second row is malformed. */
    @Test
    void aRowListingAnImageAgainIsMalformed() throws Exception {
        String first = Files.readAllLines(index).get(1);
        appendRows(first + "\n");
        assertThat(openFails()).hasMessageContaining("is listed again (first on line 2)");
        BrodenDataset data = BrodenDataset.open(dir, null, true);
        assertThat(data.skipped()).isEqualTo(1);
        assertThat(data.skippedReasons().get(0)).contains("is listed again");
    }
}
