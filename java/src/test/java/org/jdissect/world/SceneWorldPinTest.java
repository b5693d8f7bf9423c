package org.jdissect.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.jdissect.data.BrodenWriter;
import org.jdissect.io.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the generator: a small world (22 images, 48 x 48, seed 11, 2 threads; every scene class twice, occluded
 * objects in {@code _object_2.png}, textures) must come out byte for byte as recorded.
 *
 * <p>The demo models were trained on SceneWorld's output and the demo's figures were measured on it, so a change of
 * its bytes is a change of behaviour, never a side effect of a refactoring. {@link #PINNED} is the sha256 of the
 * {@code sha256sum} listing of every file of that world (index.csv, label.csv, category.csv, c_*.csv, every JPEG image
 * and PNG label map; not the marker file every dataset jdissect writes holds), in sorted path order, as this shell
 * line prints it:
 * <pre>
 * ./jdissect synth --out /tmp/pin --images 22 --size 48 --seed 11 --threads 2 \
 *   && (cd /tmp/pin && find . -type f ! -name .jdissect-dataset | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum \
 *   | sha256sum)
 * </pre>
 * It was recorded from the code before SceneWorld was split into org.jdissect.world (OpenJDK 17.0.15; the JPEG
 * bytes come from the JDK's encoder, so a JDK whose encoder differs fails here too). To change the world on purpose,
 * rerun that line with the new code, paste its hash here and say in the commit why the world changed (and whether
 * the demo models and the README's figures need rebuilding).
 */
class SceneWorldPinTest {
    static final String PINNED = "db911659a83b42c05f10001a44267db8e85e765cb6e4a35cb5e59497937a7c8c";

    /**
     * The same listing hash for world version 1, recorded by running that line with the jar built from commit
     * 2cef280 itself (the code the demo models' training world came from; it had no --world-version): version 1
     * must draw what that commit drew.
     */
    static final String PINNED_FIRST_WORLD = "48e481322af22845ff7392ee9cae0c9c24bc1e0d87b9a69007eebae9c33bf6ab";

    @TempDir
    Path tmp;

    @Test
    void theGeneratorWritesTheRecordedBytes() throws Exception {
        Path dir = SceneWorld.write(tmp.resolve("pin"), 22, 48, 11, 2, false, Progress.NONE);
        List<String> files = files(dir);
        assertThat(files).contains("index.csv", "label.csv", "category.csv", "c_object.csv",
                "images/sceneworld/000000.jpg", "images/sceneworld/000000_color.png").hasSize(151);
        assertThat(listingHash(dir, files)).isEqualTo(PINNED);
    }

    @Test
    void versionOneDrawsTheFirstWorld() throws Exception {
        Path dir = SceneWorld.write(tmp.resolve("pin1"), 22, 48, 11, 1, 2, false, Progress.NONE);
        assertThat(listingHash(dir, files(dir))).isEqualTo(PINNED_FIRST_WORLD);
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            // sorted as strings with '/' so that the order is the shell's LC_ALL=C sort, on any platform
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.equals(BrodenWriter.MARKER)).sorted().toList();
        }
    }

    /** The sha256 of the lines {@code sha256sum} prints for {@code files}: "HASH  PATH\n" each. */
    private static String listingHash(Path root, List<String> files) throws Exception {
        HexFormat hex = HexFormat.of();
        StringBuilder listing = new StringBuilder();
        for (String f : files) {
            byte[] bytes = Files.readAllBytes(root.resolve(f));
            listing.append(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).append("  ").append(f)
                    .append('\n');
        }
        return hex.formatHex(MessageDigest.getInstance("SHA-256")
                .digest(listing.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
