package org.jdissect.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hand-written dataset in the exact style of the real Broden download (same header, same cell syntax, quoted
 * label.csv rows, CRLF in one file), with label maps and images written by ImageIO rather than by our writer, so
 * the reader is tested against files it did not produce.
 */
final class RealStyleBroden {
    static final String CATEGORY_CSV = "name,first,last,count,frequency\r\n"
            + "color,1,11,11,10\r\n"
            + "object,12,584,573,9010\r\n"
            + "part,585,818,234,3100\r\n"
            + "material,819,844,26,1800\r\n"
            + "scene,38,38,1,44\r\n"
            + "texture,194,314,2,120\r\n";
    static final String LABEL_CSV = "number,name,category,frequency,coverage,syns\n"
            + "1,black,color(289),289,79.8135,\n"
            + "2,blue,color(1366);object(3),1369,210.08,\n"
            + "12,\"person\",\"object(5672);part(3)\",5675,1032.5,\"person;individual;someone\"\n"
            + "13,\"table, dining\",object(10),10,2.5,\n"
            + "38,\"art studio\",scene(44),44,44.0,\n"
            + "194,\"banded\",\"texture(120)\",120,120.0,\n"
            + "314,bubbly,texture(120),120,120.0,\n"
            + "600,\"leg\",part(300),300,5.5,\n"
            + "819,wood,material(500),500,50.5,\n";
    static final String INDEX_HEADER = "image,split,ih,iw,sh,sw,color,object,part,material,scene,texture\n";
    static final String ROW_DTD = "dtd/g_0106.jpg,train,346,368,346,368,dtd/g_0106_color.png,,,,,314;194\n";
    static final String ROW_ADE = "ade20k/ADE_train_00000001.jpg,train,224,224,112,112,"
            + "ade20k/ADE_train_00000001_color.png,ade20k/ADE_train_00000001_object.png,"
            + "ade20k/ADE_train_00000001_part_1.png;ade20k/ADE_train_00000001_part_2.png,,38,\n";
    static final String ROW_PASCAL = "pascal/2008_000001.jpg,val,10,12,5,6,,pascal/2008_000001_object.png,,,,\n";
    static final String ROW_OS = "opensurfaces/1.jpg,train,8,8,4,4,,,,opensurfaces/1_material.png,,\n";
    static final String INDEX_CSV = INDEX_HEADER + ROW_DTD + ROW_ADE + ROW_PASCAL + ROW_OS;

    private RealStyleBroden() {
    }

    /** dtd color map: black (1) left of column 100, blue (2) elsewhere. */
    static int dtdColor(int x, int y) {
        return x < 100 ? 1 : 2;
    }

    /** ade object map: person (12) in the top half, table (13) below. */
    static int adeObject(int x, int y) {
        return y < 56 ? 12 : 13;
    }

    /** ade part layer 1: leg (600, needs the G channel) on the diagonal. */
    static int adePart1(int x, int y) {
        return x == y ? 600 : 0;
    }

    /** ade part layer 2: person-as-part (12) in the first row. */
    static int adePart2(int x, int y) {
        return y == 0 ? 12 : 0;
    }

    static void write(Path dir) throws IOException {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        Files.writeString(dir.resolve("category.csv"), CATEGORY_CSV);
        Files.writeString(dir.resolve("label.csv"), LABEL_CSV);
        Files.writeString(dir.resolve("index.csv"), INDEX_CSV);
        Files.writeString(dir.resolve("c_color.csv"), "code,number,name,frequency,coverage\n0,0,-,0,0.0\n"
                + "1,1,black,289,79.8135\n2,2,blue,1366,200.0\n");
        Files.writeString(dir.resolve("c_object.csv"), "code,number,name,frequency,coverage\n0,0,-,0,0.0\n"
                + "1,2,blue,3,0.08\n2,12,person,5672,1032.0\n3,13,\"table, dining\",10,2.5\n");
        Files.writeString(dir.resolve("c_part.csv"), "code,number,name,frequency,coverage\n0,0,-,0,0.0\n"
                + "1,12,person,3,0.5\n2,600,leg,300,5.5\n");
        Files.writeString(dir.resolve("c_material.csv"), "code,number,name,frequency,coverage\n0,0,-,0,0.0\n"
                + "1,819,wood,500,50.5\n");
        Files.writeString(dir.resolve("c_scene.csv"), "code,number,name,frequency,coverage\n0,0,-,0,0.0\n"
                + "1,38,art studio,44,44.0\n");
        Files.writeString(dir.resolve("c_texture.csv"), "code,number,name,frequency,coverage\n0,0,-,0,0.0\n"
                + "1,194,banded,120,120.0\n2,314,bubbly,120,120.0\n");

        writeMap(images.resolve("dtd/g_0106_color.png"), 368, 346, RealStyleBroden::dtdColor);
        writeJpeg(images.resolve("dtd/g_0106.jpg"), 368, 346);
        writeMap(images.resolve("ade20k/ADE_train_00000001_color.png"), 112, 112, (x, y) -> 2);
        writeMap(images.resolve("ade20k/ADE_train_00000001_object.png"), 112, 112, RealStyleBroden::adeObject);
        writeMap(images.resolve("ade20k/ADE_train_00000001_part_1.png"), 112, 112, RealStyleBroden::adePart1);
        writeMap(images.resolve("ade20k/ADE_train_00000001_part_2.png"), 112, 112, RealStyleBroden::adePart2);
        writeJpeg(images.resolve("ade20k/ADE_train_00000001.jpg"), 224, 224);
        writeMap(images.resolve("pascal/2008_000001_object.png"), 6, 5, (x, y) -> x == 0 ? 13 : 0);
        writeJpeg(images.resolve("pascal/2008_000001.jpg"), 12, 10);
        writeMap(images.resolve("opensurfaces/1_material.png"), 4, 4, (x, y) -> 819);
        writeJpeg(images.resolve("opensurfaces/1.jpg"), 8, 8);
    }

    interface LabelAt {
        int at(int x, int y);
    }

    static void writeMap(Path file, int w, int h, LabelAt labels) throws IOException {
        BufferedImage map = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = labels.at(x, y);
                map.setRGB(x, y, ((v & 0xff) << 16) | (v & 0xff00));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(map, "png", file.toFile());
    }

    static void writeJpeg(Path file, int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, 0x808080);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "jpeg", file.toFile());
    }
}
