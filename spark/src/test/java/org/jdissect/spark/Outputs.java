package org.jdissect.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The comparison every test here makes: a Spark run's layer folders against a single-machine run's. */
final class Outputs {
    /** The files that must be equal byte for byte. */
    static final List<String> EXACT = List.of("tally.csv", "thresholds.csv", "topk.csv", "iou.csv");
    /** report.json's sections that must be equal (provenance, timings and the backend's name differ by nature). */
    static final List<String> SECTIONS = List.of("layer", "source", "summary", "units");

    private Outputs() {
    }

    static void assertSame(Path expected, Path actual, List<String> layers) {
        for (String layer : layers) {
            for (String f : EXACT) {
                assertThat(read(actual.resolve(layer).resolve(f)))
                        .as(layer + "/" + f).isEqualTo(read(expected.resolve(layer).resolve(f)));
            }
            JsonNode e = json(expected.resolve(layer).resolve("report.json"));
            JsonNode a = json(actual.resolve(layer).resolve("report.json"));
            for (String s : SECTIONS) {
                assertThat(a.get(s)).as(layer + "/report.json " + s).isNotNull().isEqualTo(e.get(s));
            }
        }
    }

    /** The activation caches, byte for byte: every layer file and the manifest. */
    static void assertSameCache(Path expected, Path actual) {
        try (var files = Files.list(expected.resolve("cache"))) {
            List<Path> all = files.toList();
            assertThat(all).hasSizeGreaterThan(1);
            for (Path f : all) {
                assertThat(actual.resolve("cache").resolve(f.getFileName().toString())).as(f.getFileName().toString())
                        .hasSameBinaryContentAs(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path p) {
        try {
            return new ObjectMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
