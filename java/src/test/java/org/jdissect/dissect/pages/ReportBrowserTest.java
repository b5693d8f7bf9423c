package org.jdissect.dissect.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.JdissectException;
import org.jdissect.demo.ColourWorld;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.Preprocessing;
import org.jdissect.report.Chromium;
import org.jdissect.report.HtmlReport;
import org.jdissect.report.UnitImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a small real dissection, opened in headless Chromium: the header numbers are report.json's, every
 * unit has its card, every image loads, and hostile names from the dataset and the model show as text.
 */
class ReportBrowserTest {
    static final Preprocessing PRE = ColourWorld.PREPROCESSING;
    /** A label and a layer name that would run script if the report pasted them into HTML. */
    static final String EVIL_LABEL = "<script>window.jdissectInjected=1</script>";
    static final String EVIL_LAYER = "relu\"><img src=x onerror=\"window.jdissectInjected=2\">";

    @TempDir
    static Path tmp;
    static Path out;
    static DissectionResult result;
    static HtmlReport.Result report;
    static DissectionPages.Summary summary;

    @BeforeAll
    static void dissectAndReport() throws Exception {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 60, 42);
        Path labels = data.resolve("label.csv");
        Files.writeString(labels, Files.readString(labels).replace(",green,", "," + EVIL_LABEL + ","));
        Path model = tmp.resolve("model.onnx");
        OnnxBuilder.imageInput(32, 32)
                .conv(OnnxBuilder.INPUT, "detect", 5, 3, 1, 1, 0,
                        ColourWorld.detectorWeights(1), new float[5])
                .relu("detect", EVIL_LAYER)
                .averagePool(EVIL_LAYER, "pool", 4, 4)
                .output("pool")
                .save(model);
        out = tmp.resolve("out");
        result = Dissection.builder().model(model).data(data).out(out).layers(List.of("pool", EVIL_LAYER))
                .preprocessing(PRE).quantile(0.02).batch(16).threads(2).run();
        DissectionPages pages = DissectionPages.of(out);
        report = HtmlReport.builder(out).threads(2).extension(pages).write();
        summary = pages.summary();
    }

    @Test
    void writesAnIndexAPagePerLayerAndAStripPerUnit() throws Exception {
        assertThat(report.index()).isEqualTo(out.resolve("report/index.html"));
        assertThat(report.pages()).isEqualTo(3);
        assertThat(summary.layers()).isEqualTo(2);
        assertThat(summary.units()).isEqualTo(10);
        // 2 layers x 5 units x 10 top images are 100 pictures, of fewer images: each image is drawn once
        assertThat(summary.pictures()).isEqualTo(100);
        assertThat(summary.noun()).isEqualTo("image");
        assertThat(summary.images()).isLessThan(100);
        assertThat(Files.readString(out.resolve("report/index.html"))).contains("<dt>on the cards</dt><dd>100 pictures of "
                + summary.images() + " distinct images (10 units in 2 layers)</dd>");
        for (var layer : result.layers()) {
            String dir = layer.directory().getFileName().toString();
            assertThat(out.resolve("report/layer-" + dir + ".html")).isRegularFile();
            // the 5 units' mask strips, one below the other in one sprite
            BufferedImage sprite = ImageIO.read(out.resolve("report/img/" + dir + "/m0.png").toFile());
            assertThat(sprite.getHeight()).isEqualTo(5 * 96);
            assertThat(sprite.getWidth()).isEqualTo(10 * 96 + 9 * UnitImages.GAP);
        }
        // every chart also as a paper-ready figure, linked under it
        for (var layer : result.layers()) {
            String dir = layer.directory().getFileName().toString();
            String page = Files.readString(out.resolve("report/layer-" + dir + ".html"));
            for (String ext : List.of(".svg", ".png")) {
                assertThat(out.resolve("report/figures/concepts-" + dir + ext)).isRegularFile().isNotEmptyFile();
                assertThat(page).contains("href=\"figures/concepts-" + dir + ext + "\"");
            }
            BufferedImage png = ImageIO.read(out.resolve("report/figures/concepts-" + dir + ".png").toFile());
            Matcher size = Pattern.compile("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
                    + "viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(Files.readString(out.resolve("report/figures/concepts-"
                    + dir + ".svg")));
            assertThat(size.find()).isTrue();
            assertThat(png.getWidth()).isEqualTo(2 * Integer.parseInt(size.group(1)));
            assertThat(png.getHeight()).isEqualTo(2 * Integer.parseInt(size.group(2)));
        }
        assertThat(out.resolve("report/figures/units-per-category-by-layer.png")).isRegularFile().isNotEmptyFile();
        assertThat(Files.readString(out.resolve("report/index.html")))
                .contains("href=\"figures/units-per-category-by-layer.svg\"");
        try (var thumbs = Files.list(out.resolve("report/img/base"))) {
            List<Path> all = thumbs.toList();
            assertThat(all).isNotEmpty().hasSizeLessThanOrEqualTo(60).hasSize(summary.images());
            BufferedImage t = ImageIO.read(all.get(0).toFile());
            assertThat(t.getWidth()).isEqualTo(96);
            assertThat(t.getHeight()).isEqualTo(96);
        }
        try (var files = Files.walk(out)) {
            assertThat(files.map(Path::toString).filter(p -> p.contains(".report.") || p.endsWith(".tmp")).toList())
                    .isEmpty();
        }
    }

    /**
     * Each card lists the unit's best label in every category with its IoU, as report.json has them, and the three
     * concepts of highest IoU after its label, as iou.csv has them.
     */
    @Test
    void cardsShowTheBestLabelPerCategoryAndTheRunnerUps() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (var layer : result.layers()) {
            JsonNode rj = json.readTree(layer.directory().resolve("report.json").toFile());
            List<String> iou = Files.readAllLines(layer.directory().resolve("iou.csv"));
            List<String> concepts = List.of(iou.get(0).split(",", -1)).subList(1, iou.get(0).split(",", -1).length);
            String page = Files.readString(out.resolve("report/layer-" + layer.directory().getFileName() + ".html"));
            for (JsonNode u : rj.path("units")) {
                int unit = u.path("unit").asInt();
                Matcher card = Pattern.compile("<article class=\"card[^\"]*\" id=\"u" + unit + "\".*?</article>",
                        Pattern.DOTALL).matcher(page);
                assertThat(card.find()).isTrue();
                Matcher dl = Pattern.compile("<dl class=\"more\"><dt>by category</dt><dd>(.*?)</dd>(?:<dt>next "
                        + "concepts</dt><dd>(.*?)</dd>)?</dl>").matcher(card.group());
                assertThat(dl.find()).as("unit " + unit).isTrue();
                List<String> shown = new ArrayList<>();
                Matcher best = Pattern.compile("<span class=\"chip\" style=\"--c:[^\"]*\">([^<]*)</span> ([^<]*) "
                        + "<b>([0-9.]+)</b>").matcher(dl.group(1));
                while (best.find()) {
                    JsonNode c = u.at("/categories/" + unescape(best.group(1)));
                    assertThat(unescape(best.group(2))).isEqualTo(c.path("label").asText());
                    assertThat(Double.parseDouble(best.group(3))).isCloseTo(c.path("iou").asDouble(),
                            org.assertj.core.api.Assertions.within(5e-4));
                    shown.add(unescape(best.group(1)));
                }
                List<String> categories = new ArrayList<>();
                u.path("categories").fieldNames().forEachRemaining(categories::add);
                assertThat(shown).isEqualTo(categories);
                // the runner-ups: iou.csv's row sorted by IoU, the unit's own label left out, at most three above 0
                String[] row = iou.get(unit).split(",", -1);
                List<Integer> order = new ArrayList<>();
                for (int c = 0; c < concepts.size(); c++) {
                    if (Double.parseDouble(row[c + 1]) > 0 && !concepts.get(c).equals(u.path("label").asText())) {
                        order.add(c);
                    }
                }
                order.sort((a, b) -> Double.compare(Double.parseDouble(row[b + 1]), Double.parseDouble(row[a + 1])));
                List<String> expected = new ArrayList<>();
                for (int c : order.subList(0, Math.min(3, order.size()))) {
                    expected.add(concepts.get(c) + " " + String.format(java.util.Locale.ROOT, "%.3f",
                            Double.parseDouble(row[c + 1])));
                }
                List<String> next = new ArrayList<>();
                if (dl.group(2) != null) {
                    Matcher n = Pattern.compile("<span class=\"next\">([^<]*) <b>([0-9.]+)</b></span>")
                            .matcher(dl.group(2));
                    while (n.find()) {
                        next.add(unescape(n.group(1)) + " " + n.group(2));
                    }
                }
                assertThat(next).as("runner-ups of unit " + unit).isEqualTo(expected);
            }
        }
    }

    @Test
    void hostileNamesAreEscapedEverywhere() throws Exception {
        try (var files = Files.list(out.resolve("report"))) {
            for (Path page : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                String html = Files.readString(page, StandardCharsets.UTF_8);
                assertThat(html).as(page.toString()).doesNotContain("<script>window").doesNotContain("<img src=x")
                        .doesNotContain("jdissectInjected=2\">");
                if (page.getFileName().toString().startsWith("layer-")) {
                    assertThat(html).contains("&lt;script&gt;window.jdissectInjected=1&lt;/script&gt;");
                }
            }
        }
    }

    @Test
    void aMovedDatasetIsNamedWithTheWayOut() throws Exception {
        Path copy = tmp.resolve("moved");
        copyTree(out, copy);
        Path world = tmp.resolve("world");
        Path elsewhere = tmp.resolve("world-moved");
        Files.move(world, elsewhere);
        try {
            assertThatThrownBy(() -> HtmlReport.builder(copy).threads(2).extension(DissectionPages.of(copy)).write())
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining(world.toString()).hasMessageContaining("moved").hasMessageContaining("--data");
            DissectionPages moved = DissectionPages.of(copy).data(elsewhere);
            HtmlReport.builder(copy).threads(2).extension(moved).write();
            assertThat(moved.summary().pictures()).isEqualTo(100);
            assertThat(moved.summary().images()).isEqualTo(summary.images());
        } finally {
            Files.move(elsewhere, world);
        }
    }

    @Test
    void chromiumShowsEveryCardAndImageAndTheHeadlineOfReportJson() throws Exception {
        Chromium chromium = Chromium.findOrSkip(tmp.resolve("chromium-profile"));
        Path site = out.resolve("report");
        ObjectMapper json = new ObjectMapper();
        String index = Files.readString(site.resolve("index.html"));
        for (var layer : result.layers()) {
            JsonNode rj = json.readTree(layer.directory().resolve("report.json").toFile());
            String page = "layer-" + layer.directory().getFileName() + ".html";
            String dom = chromium.dumpDom(site.resolve(page).toUri() + "#selftest");
            assertSelftest(dom, 5 * 11, 5);
            Chromium.assertZoom(dom, 10, 10);
            Matcher m = Pattern.compile("<p id=\"headline\" class=\"headline\" data-interpretable=\"(\\d+)\" "
                    + "data-units=\"(\\d+)\" data-concepts=\"(\\d+)\">([^<]*)</p>").matcher(dom);
            assertThat(m.find()).as("headline in " + page).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(rj.at("/summary/interpretable").asInt());
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(rj.at("/summary/units").asInt());
            assertThat(Integer.parseInt(m.group(3))).isEqualTo(rj.at("/summary/unique_concepts").asInt());
            assertThat(unescape(m.group(4))).isEqualTo(rj.at("/summary/headline").asText())
                    .isEqualTo("3/5 units covering 3 concepts with IoU >= 0.04");
            assertThat(index).contains(">" + m.group(4) + "<");
            List<Integer> cards = new ArrayList<>();
            Matcher c = Pattern.compile("<article class=\"card[^\"]*\" id=\"u(\\d+)\"").matcher(dom);
            while (c.find()) {
                cards.add(Integer.parseInt(c.group(1)));
            }
            assertThat(cards).as("unit cards of " + page).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
            // the hostile label is on the page as text, in the table and on its card
            assertThat(dom).contains("&lt;script&gt;window.jdissectInjected=1&lt;/script&gt;");
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        String pool = site.resolve("layer-pool.html").toUri().toString();
        chromium.screenshot(pool, target.resolve("report-screenshot.png"), 1280, 1500);
        chromium.screenshot(site.resolve("index.html").toUri().toString(), target.resolve("report-index-screenshot.png"),
                1280, 1000);
        BufferedImage shot = ImageIO.read(target.resolve("report-screenshot.png").toFile());
        assertThat(shot.getWidth()).isEqualTo(1280);
    }

    static void assertSelftest(String dom, int images, int cards) {
        Chromium.assertSelftest(dom, images, cards);
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
