package org.jdissect.dissect.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.jdissect.demo.ColourWorld;
import org.jdissect.dissect.Dissection;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.report.Chromium;
import org.jdissect.report.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a 2,048-unit layer: generation time against the dissection's, and the page in Chromium. A
 * measurement, not run by default: {@code mvn -o test -pl java -Dtest=ReportScaleTest -Djdissect.scale=IMAGES}.
 */
@EnabledIfSystemProperty(named = "jdissect.scale", matches = "\\d+")
class ReportScaleTest {
    static final int UNITS = 2048;

    @TempDir
    Path tmp;

    @Test
    void aLayerOf2048Units() throws Exception {
        int images = Integer.parseInt(System.getProperty("jdissect.scale"));
        int threads = Runtime.getRuntime().availableProcessors();
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), images, 3);
        Random rnd = new Random(5);
        float[] w = new float[UNITS * 3];
        float[] bias = new float[UNITS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int u = 0; u < UNITS; u++) {
            bias[u] = (float) (0.2 * rnd.nextGaussian());
        }
        Path model = OnnxBuilder.imageInput(32, 32)
                .conv(OnnxBuilder.INPUT, "wide", UNITS, 3, 1, 1, 0, w, bias)
                .relu("wide", "wide_relu").averagePool("wide_relu", "pool", 4, 4).output("pool")
                .save(tmp.resolve("wide.onnx"));
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        var result = Dissection.builder().model(model).data(data).out(out).layers(List.of("pool"))
                .preprocessing(ReportBrowserTest.PRE).quantile(0.02).threads(threads).run();
        double dissection = (System.nanoTime() - t0) / 1e9;
        DissectionPages pages = DissectionPages.of(result);
        HtmlReport.Result r = HtmlReport.builder(out).extension(pages).threads(threads).write();
        DissectionPages.Summary s = pages.summary();
        long bytes;
        try (var files = Files.walk(out.resolve("report"))) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("scale: %d units x %d images: dissection %.2f s (report.json timings %.2f s), report %.2f s "
                        + "(%.1f%%), %d thumbnails, site %.1f MB, page %.1f MB, %d threads%n", UNITS, images, dissection,
                s.dissectionSeconds(), r.seconds(), 100 * r.seconds() / dissection, s.images(), bytes / 1e6,
                Files.size(out.resolve("report/layer-pool.html")) / 1e6, threads);
        assertThat(s.units()).isEqualTo(UNITS);
        // what a reader gets: a card per unit, each with its top images, and the mask sprites of every 32 units
        String page = Files.readString(out.resolve("report/layer-pool.html"));
        for (int u = 1; u <= UNITS; u += 97) {
            assertThat(page).as("unit %d's card", u).contains("id=\"u" + u + "\"");
        }
        assertThat(page.split("<article class=\"card", -1).length - 1).isEqualTo(UNITS);
        for (int k = 0; k < UNITS / 32; k++) {
            assertThat(out.resolve("report/img/pool/m" + k + ".png")).as("sprite %d", k).isRegularFile();
        }
        assertThat(s.images()).isPositive().isLessThanOrEqualTo(images);
        assertThat(r.seconds()).isPositive();

        Optional<Chromium> browser = Chromium.find(tmp.resolve("chromium-profile"));
        if (browser.isPresent()) {
            String url = out.resolve("report/layer-pool.html").toUri().toString();
            long c0 = System.nanoTime();
            String dom = browser.get().dumpDom(url + "#selftest");
            System.out.printf("scale: chromium loaded the page and probed every image in %.1f s%n",
                    (System.nanoTime() - c0) / 1e9);
            ReportBrowserTest.assertSelftest(dom, UNITS * 11, UNITS);
            browser.get().screenshot(url, Path.of("target/report-2048-screenshot.png"), 1280, 1500);
        }
    }
}
