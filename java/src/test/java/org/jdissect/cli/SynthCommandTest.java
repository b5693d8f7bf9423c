package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.data.BrodenDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jdissect synth: writes a readable SceneWorld, refuses to overwrite, and bad sizes are one-line usage errors. */
class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesADatasetThatReadsBackAndRefusesANonEmptyFolder() throws Exception {
        Path out = tmp.resolve("sw");
        CliTest.Run r = CliTest.run("synth", "--out", out.toString(), "--images", "23", "--size", "32", "--seed", "4", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 23 SceneWorld images (32x32, labels 16x16, seed 4, world version 2)");
        assertThat(BrodenDataset.open(out, List.of(), false).size()).isEqualTo(23);

        CliTest.Run again = CliTest.run("synth", "--out", out.toString(), "--images", "5", "-q");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("not empty").doesNotContain("Exception");
        assertThat(Files.readAllLines(out.resolve("index.csv"))).hasSize(24);

        CliTest.Run forced = CliTest.run("synth", "--out", out.toString(), "--images", "5", "--size", "32", "--force", "-q");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("index.csv"))).hasSize(6);
    }

    @Test
    void anUnknownWorldVersionNamesTheValidOnes() {
        CliTest.Run r = CliTest.run("synth", "--out", tmp.resolve("v").toString(), "--images", "3", "--size", "32",
                "--world-version", "3", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--world-version 3", "valid versions are 1, 2").doesNotContain("Exception");
        assertThat(tmp.resolve("v")).doesNotExist();
    }

    /** --force replaces a dataset jdissect wrote, and nothing else: a wrong --out loses nothing. */
    @Test
    void forceNeverDeletesAFolderItDidNotWrite() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(mine.resolve("chapter1.tex"), "precious");
        CliTest.Run r = CliTest.run("synth", "--out", mine.toString(), "--images", "3", "--size", "32", "--force",
                "-q");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("refusing to replace", "not a dataset written by jdissect")
                .doesNotContain("Exception");
        assertThat(mine.resolve("chapter1.tex")).hasContent("precious");
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("thesis");
        }
    }

    @Test
    void anOddOrTinySizeIsAUsageError() {
        for (String size : List.of("31", "8")) {
            CliTest.Run r = CliTest.run("synth", "--out", tmp.resolve("x" + size).toString(), "--images", "3", "--size",
                    size, "-q");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip().lines()).singleElement().asString().contains("--size must be even");
        }
    }
}
