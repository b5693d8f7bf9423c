package org.jdissect.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.jdissect.JdissectException;

/**
 * Random index rows, label maps and image files thrown at the Broden reader: whatever they hold, reading ends in the
 * data or in a JdissectException (one clear line for the user), never in another exception, a hang or a huge
 * allocation. jqwik shrinks a failing input to its smallest form.
 */
class ReaderFuzzTest {
    private static Path root;

    @BeforeContainer
    static void root() throws IOException {
        root = Files.createTempDirectory("jdissect-fuzz");
    }

    @AfterContainer
    static void clean() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path dataset() throws IOException {
        Path dir = Files.createTempDirectory(root, "d");
        RealStyleBroden.write(dir);
        return dir;
    }

    @Provide
    Arbitrary<String> cells() {
        Arbitrary<String> numbers = Arbitraries.integers().between(-3, 70000).map(String::valueOf);
        Arbitrary<String> paths = Arbitraries.of("dtd/g_0106.jpg", "dtd/g_0106_color.png", "../x.png", "/etc/passwd",
                "a/../../b.png", "x.png", "", " ", "opensurfaces/1_material.png", "nul\u0000.png", "c:\\\\x.png",
                "ade20k/ADE_train_00000001_part_1.png;ade20k/ADE_train_00000001_part_2.png");
        Arbitrary<String> junk = Arbitraries.strings().withChars(",;\"\n\r .-/\\x0123456789p").ofMaxLength(12);
        return Arbitraries.oneOf(numbers, paths, junk, numbers.list().ofMaxSize(3).map(l -> String.join(";", l)));
    }

    @Provide
    Arbitrary<List<String>> rows() {
        return cells().list().ofMinSize(0).ofMaxSize(14).map(fields -> String.join(",", fields) + "\n").list()
                .ofMaxSize(4);
    }

    /** Random rows appended to a valid index.csv: every row read, every image and label map of it too. */
    @Property(tries = 100)
    void randomIndexRowsGiveDataOrAUserError(@ForAll("rows") List<String> rows,
                                             @ForAll boolean skipBad) throws IOException {
        Path dir = dataset();
        Files.writeString(dir.resolve("index.csv"), String.join("", rows), StandardOpenOption.APPEND);
        readEverything(dir, skipBad);
    }

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // a real PNG or JPEG header, then a size from 0 to far too large, then garbage
        Arbitrary<byte[]> png = Combinators.combine(Arbitraries.integers().between(-1, 100000),
                Arbitraries.integers().between(-1, 100000), random).as((w, h, tail) -> {
                    byte[] head = org.jdissect.data.ImageDecoderTest.pngHeaderOnly(w, h);
                    byte[] all = new byte[head.length + tail.length];
                    System.arraycopy(head, 0, all, 0, head.length);
                    System.arraycopy(tail, 0, all, head.length, tail.length);
                    return all;
                });
        Arbitrary<byte[]> jpeg = random.map(tail -> {
            byte[] all = new byte[tail.length + 4];
            all[0] = (byte) 0xff;
            all[1] = (byte) 0xd8;
            all[2] = (byte) 0xff;
            all[3] = (byte) 0xc0;
            System.arraycopy(tail, 0, all, 4, tail.length);
            return all;
        });
        return Arbitraries.oneOf(random, png, jpeg);
    }

    /** A random file in place of an image or of a label map (or a truncated real one). */
    @Property(tries = 100)
    void randomImageAndLabelFilesGiveDataOrAUserError(@ForAll("files") byte[] bytes,
                                                      @ForAll @IntRange(min = 0, max = 3) int which,
                                                      @ForAll boolean truncateInstead) throws IOException {
        Path dir = dataset();
        String[] victims = {"images/dtd/g_0106.jpg", "images/dtd/g_0106_color.png",
            "images/ade20k/ADE_train_00000001_part_2.png", "images/opensurfaces/1_material.png"};
        Path file = dir.resolve(victims[which]);
        if (truncateInstead) {
            byte[] real = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(real, Math.min(real.length - 1, bytes.length)));
        } else {
            Files.write(file, bytes);
        }
        readEverything(dir, false);
    }

    private static void readEverything(Path dir, boolean skipBad) {
        BrodenDataset ds;
        try {
            ds = BrodenDataset.open(dir, null, skipBad);
        } catch (JdissectException e) {
            assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
            return;
        }
        ImageDecoder decoder = new ImageDecoder();
        for (int i = 0; i < ds.size(); i++) {
            try {
                ds.readImage(i, decoder);
            } catch (JdissectException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
            // the check the inference makes (decoding into a reused array) fails exactly when reading fails
            String read = null;
            try {
                ds.readLabels(i);
            } catch (JdissectException e) {
                assertThat(e.getMessage()).isNotBlank();
                read = e.getMessage();
            }
            String checked = null;
            try {
                ds.checkLabels(i);
            } catch (JdissectException e) {
                checked = e.getMessage();
            }
            assertThat(checked).isEqualTo(read);
        }
    }
}
