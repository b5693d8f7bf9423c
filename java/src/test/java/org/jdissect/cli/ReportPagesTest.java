package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.intervene.ColourGan;
import org.jdissect.intervene.KnownUnitsFixture;
import org.jdissect.report.Chromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's experiment pages, end to end through the CLI: a dissection with an ablation curve, units ablated
 * together and an explanation written under its OUT, and a gan-dissect output with an edit and an effect written
 * where they default to; every page checked for escaping, its numbers against the JSON the experiment wrote, and in
 * headless Chromium for broken images.
 */
class ReportPagesTest {
    static final String EVIL = "<script>window.jdissectInjected=1</script>";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path cnn;
    static Path ganOut;
    static CliTest.Run ablate;
    static CliTest.Run units;
    static CliTest.Run explain;
    static Path model;
    static Path classes;
    static Path redImage;
    static String[] pre = {"--size", "8", "--mean", "0,0,0", "--std", "1,1,1", "--threads", "1", "-q"};

    @BeforeAll
    static void experiments() throws Exception {
        // a classifier whose class "red" is an evil name: dissected, then its curves written into the dissection
        model = KnownUnitsFixture.model(tmp.resolve("known.onnx"));
        Path data = KnownUnitsFixture.broden(tmp.resolve("broden"), 16, 3);
        Path labels = data.resolve("label.csv");
        Files.writeString(labels, Files.readString(labels).replace(",red,", "," + EVIL + ","));
        classes = Files.writeString(tmp.resolve("classes.csv"), "class,index\n" + EVIL + ",0\ngreen,1\nblue,2\n");
        cnn = tmp.resolve("cnn");
        CliTest.Run r = CliTest.run(concat(new String[] {"dissect", "--model", model.toString(), "--layer", "units",
                "--data", data.toString(), "--out", cnn.toString(), "--quantile", "0.05"}, pre));
        assertThat(r.code()).as(r.err()).isZero();
        ablate = CliTest.run(concat(new String[] {"ablate", "--model", model.toString(), "--layer", "units", "--data",
                data.toString(), "--classes", classes.toString(), "--out", cnn.resolve("interventions/curve").toString(),
                "--mode", "curve", "--n", "1,2,4"}, pre));
        assertThat(ablate.code()).as(ablate.err()).isZero();
        // unit 1 is the first class's detector: ablated, that class is lost
        units = CliTest.run(concat(new String[] {"ablate", "--model", model.toString(), "--layer", "units", "--data",
                data.toString(), "--classes", classes.toString(), "--out", cnn.resolve("interventions/units").toString(),
                "--mode", "units", "--units", "1,5"}, pre));
        assertThat(units.code()).as(units.err()).isZero();
        // a red image explained: unit 1 fires and decides it
        redImage = KnownUnitsFixture.folder(tmp.resolve("folder"), 1, 5).resolve("red/00.png");
        explain = CliTest.run(concat(new String[] {"explain", "--model", model.toString(), "--layer", "units",
                "--image", redImage.toString(), "--dissection", cnn.toString(), "--classes", classes.toString(),
                "--out", cnn.resolve("explain/red").toString()}, pre));
        assertThat(explain.code()).as(explain.err()).isZero();

        // a generator: dissected (which writes its report), then an edit and an effect under its OUT
        String gen = ColourGan.generator(tmp.resolve("gen.onnx")).toString();
        String seg = ColourGan.segmenter(tmp.resolve("seg.onnx")).toString();
        Path segLabels = Files.write(tmp.resolve("labels.txt"), List.of("-,color", "red,color", EVIL + ",color",
                "blue,color"));
        ganOut = tmp.resolve("gan");
        r = CliTest.run("gan-dissect", "--generator", gen, "--layer", "feat", "--segmenter", seg, "--seg-labels",
                segLabels.toString(), "--seg-mean", "0.5,0.5,0.5", "--samples", "48", "--quantile", "0.3", "--out",
                ganOut.toString(), "--topk", "5", "-q", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report: ");
        r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--units", "1,2", "--samples", "4",
                "--dissection", ganOut.toString(), "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        r = CliTest.run("gan-effect", "--generator", gen, "--layer", "feat", "--segmenter", seg, "--seg-labels",
                segLabels.toString(), "--seg-mean", "0.5,0.5,0.5", "--dissection", ganOut.toString(), "--concept",
                "red", "--top", "2", "--samples", "8", "-q", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#34;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    /** {@code s} as the pages write it as an element's text. */
    static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Test
    void ablateUnderADissectionAddsItsPageToTheReport() throws Exception {
        assertThat(ablate.out()).contains("report: ");
        Path site = cnn.resolve("report");
        String index = read(site.resolve("index.html"));
        assertThat(index).contains("href=\"ablation-interventions_curve.html\"");
        assertThat(read(site.resolve("layer-units.html"))).contains("href=\"ablation-interventions_curve.html\"");
        String page = read(site.resolve("ablation-interventions_curve.html"));
        JsonNode curve = JSON.readTree(cnn.resolve("interventions/curve/curve.json").toFile());
        JsonNode rank = JSON.readTree(cnn.resolve("interventions/curve/rank.json").toFile());
        checkCurves(page, curve, rank);
        assertThat(page).doesNotContain("<script>window").contains("&lt;script&gt;window.jdissectInjected=1");
        assertThat(page).contains("units ablated, N (log scale)", "balanced accuracy", "chance", "no ablation");
        // each class's two plots as figures, named by the class's place (its name is the data's)
        for (int c = 1; c <= 3; c++) {
            for (String plot : List.of("-balanced-accuracy", "-accuracy")) {
                for (String ext : List.of(".svg", ".png")) {
                    String figure = "figures/ablation-interventions_curve-class" + c + plot + ext;
                    assertThat(site.resolve(figure)).isRegularFile().isNotEmptyFile();
                    assertThat(page).contains("href=\"" + figure + "\"");
                }
            }
        }
        assertThat(read(site.resolve("figures/ablation-interventions_curve-class1-accuracy.svg")))
                .doesNotContain("<script").contains("&lt;script&gt;window.jdissectInjected=1");
    }

    @Test
    void unitsAblatedTogetherGetAPageWithEachClassWithoutAndWithThem() throws Exception {
        assertThat(units.out()).contains("report: ");
        Path site = cnn.resolve("report");
        String name = "ablation-interventions_units.html";
        assertThat(read(site.resolve("index.html"))).contains("href=\"" + name + "\"", "units 1, 5 ablated together");
        assertThat(read(site.resolve("layer-units.html"))).contains("href=\"" + name + "\"");
        String page = read(site.resolve(name));
        JsonNode json = JSON.readTree(cnn.resolve("interventions/units/units.json").toFile());
        checkUnits(page, json);
        // the units ablated, linked to their cards
        assertThat(page).contains("<a href=\"layer-units.html#u1\"", "<a href=\"layer-units.html#u5\"");
        for (String plot : List.of("-units-balanced-accuracy", "-units-accuracy")) {
            for (String ext : List.of(".svg", ".png")) {
                String figure = "figures/ablation-interventions_units" + plot + ext;
                assertThat(site.resolve(figure)).isRegularFile().isNotEmptyFile();
                assertThat(page).contains("href=\"" + figure + "\"");
            }
        }
        assertThat(page).doesNotContain("<script>window").contains("&lt;script&gt;window.jdissectInjected=1");
        assertThat(read(site.resolve("figures/ablation-interventions_units-units-accuracy.svg")))
                .doesNotContain("<script").contains("&lt;script&gt;window.jdissectInjected=1");
    }

    /**
     * The rows of the units table are the JSON's, overall and per class; by construction the first class, whose
     * detector is unit 1, is lost, significantly, and no other class is.
     */
    static void checkUnits(String page, JsonNode json) {
        Matcher m = Pattern.compile("<tr( class=\"overall\")?(?: data-class=\"([^\"]*)\")? data-ba-base=\"([^\"]*)\" "
                + "data-ba-ablated=\"([^\"]*)\" data-acc-base=\"([^\"]*)\" data-acc-ablated=\"([^\"]*)\">(.*?)</tr>")
                .matcher(page);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            JsonNode row;
            if (m.group(1) != null) {
                assertThat(m.group(2)).isNull();
                seen.add("(overall)");
                row = json.path("overall");
            } else {
                String name = unescape(m.group(2));
                seen.add(name);
                row = null;
                for (JsonNode c : json.path("classes")) {
                    if (c.path("class").asText().equals(name)) {
                        row = c;
                    }
                }
                assertThat(row).as(name).isNotNull();
            }
            assertThat(Double.parseDouble(m.group(3))).isEqualTo(row.at("/balanced_accuracy/base/value").asDouble());
            assertThat(Double.parseDouble(m.group(4))).isEqualTo(row.at("/balanced_accuracy/ablated/value").asDouble());
            assertThat(Double.parseDouble(m.group(5))).isEqualTo(row.at("/accuracy/base/value").asDouble());
            assertThat(Double.parseDouble(m.group(6))).isEqualTo(row.at("/accuracy/ablated/value").asDouble());
            boolean lost = EVIL.equals(seen.get(seen.size() - 1));
            assertThat(m.group(7).contains("*<")).as("significance shown in " + m.group(7))
                    .isEqualTo(row.at("/balanced_accuracy/significant").asBoolean() || row.at("/accuracy/significant")
                            .asBoolean());
            if (lost) {
                assertThat(row.at("/accuracy/ablated/value").asDouble()).isZero();
                assertThat(row.at("/accuracy/base/value").asDouble()).isEqualTo(1.0);
                assertThat(row.at("/accuracy/significant").asBoolean()).isTrue();
            } else if (m.group(1) == null) {
                assertThat(row.at("/accuracy/ablated/value").asDouble()).isEqualTo(1.0);
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("(overall)", EVIL, "green", "blue");
    }

    @Test
    void anExplanationGetsAPageWithItsImageItsUnitsAndTheirCards() throws Exception {
        assertThat(explain.out()).contains("report: ");
        Path site = cnn.resolve("report");
        String name = "explain-explain_red.html";
        assertThat(read(site.resolve("index.html"))).contains("href=\"" + name + "\"");
        assertThat(read(site.resolve("layer-units.html"))).contains("href=\"" + name + "\"");
        String page = read(site.resolve(name));
        JsonNode json = JSON.readTree(cnn.resolve("explain/red/explain.json").toFile());
        assertThat(json.path("image").asText()).isEqualTo(redImage.toAbsolutePath().normalize().toString());
        checkExplanation(page, json);
        // the image, copied as it is (8 x 8 is under the size the report scales down to) and shown enlarged
        Matcher img = Pattern.compile("<img class=\"gen explained\" src=\"([^\"]+)\" width=\"(\\d+)\" "
                + "height=\"(\\d+)\"").matcher(page);
        assertThat(img.find()).isTrue();
        assertThat(img.group(1)).isEqualTo("img/explain/explain-explain_red.png");
        assertThat(img.group(2)).isEqualTo(img.group(3)).isEqualTo(Integer.toString(8 * (224 / 8)));
        java.awt.image.BufferedImage copy = javax.imageio.ImageIO.read(site.resolve(img.group(1)).toFile());
        java.awt.image.BufferedImage source = javax.imageio.ImageIO.read(redImage.toFile());
        assertThat(copy.getWidth()).isEqualTo(8);
        assertThat(copy.getHeight()).isEqualTo(8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertThat(copy.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(source.getRGB(x, y));
            }
        }
        assertThat(site.resolve("figures/explain-explain_red-decisive.svg")).isRegularFile().isNotEmptyFile();
        assertThat(page).contains("href=\"figures/explain-explain_red-decisive.png\"");
        // the predicted class is the evil name
        assertThat(page).doesNotContain("<script>window").contains("&lt;script&gt;window.jdissectInjected=1");
    }

    /**
     * The numbers on the page are explain.json's: the prediction, and every firing and decisive unit in order, each
     * linked to its card; by construction unit 1, the red detector, fires and decides.
     */
    static void checkExplanation(String page, JsonNode json) {
        Matcher d = Pattern.compile("<div class=\"decision\" data-output=\"(\\d+)\" data-class=\"([^\"]*)\" "
                + "data-probability=\"([^\"]*)\" data-all-output=\"(\\d+)\" data-all-probability=\"([^\"]*)\">")
                .matcher(page);
        assertThat(d.find()).isTrue();
        assertThat(Integer.parseInt(d.group(1))).isEqualTo(json.at("/predicted/output").asInt()).isZero();
        assertThat(unescape(d.group(2))).isEqualTo(json.at("/predicted/class").asText()).isEqualTo(EVIL);
        assertThat(Double.parseDouble(d.group(3))).isEqualTo(json.at("/predicted/probability").asDouble());
        assertThat(Integer.parseInt(d.group(4))).isEqualTo(json.at("/all_firing_ablated/output").asInt());
        assertThat(Double.parseDouble(d.group(5)))
                .isEqualTo(json.at("/all_firing_ablated/probability_of_predicted").asDouble());
        for (String section : List.of("firing", "decisive")) {
            String part = page.substring(page.indexOf("<section id=\"" + section + "\">"));
            part = part.substring(0, part.indexOf("</section>"));
            JsonNode units = json.path(section + "_units");
            Matcher row = Pattern.compile("<tr data-unit=\"(\\d+)\" data-iou=\"([^\"]*)\" data-probability=\"([^\"]*)\" "
                    + "data-drop=\"([^\"]*)\" data-changes=\"(true|false)\"(?: data-rank=\"(\\d+)\")?><td class=\"num\">"
                    + "<a href=\"([^\"]*)\"").matcher(part);
            int i = 0;
            while (row.find()) {
                JsonNode u = units.get(i);
                assertThat(u).as(section + " row " + i).isNotNull();
                assertThat(Integer.parseInt(row.group(1))).isEqualTo(u.path("unit").asInt());
                assertThat(Double.parseDouble(row.group(2))).isEqualTo(u.path("iou").asDouble());
                assertThat(Double.parseDouble(row.group(3))).isEqualTo(u.path("probability_after_ablation").asDouble());
                assertThat(Double.parseDouble(row.group(4))).isEqualTo(u.path("drop").asDouble());
                assertThat(Boolean.parseBoolean(row.group(5))).isEqualTo(u.path("changes_prediction").asBoolean());
                if (section.equals("decisive")) {
                    assertThat(row.group(6)).isEqualTo(Integer.toString(i + 1));
                }
                assertThat(row.group(7)).isEqualTo("layer-units.html#u" + u.path("unit").asInt());
                i++;
            }
            assertThat(i).as(section + " rows").isEqualTo(units.size()).isPositive();
        }
        assertThat(json.at("/decisive_units/0/unit").asInt()).isEqualTo(1);
        assertThat(json.at("/decisive_units/0/changes_prediction").asBoolean()).isTrue();
        assertThat(json.path("firing_units").findValues("unit").stream().map(JsonNode::asInt)).contains(1);
    }

    /**
     * A units.json of another tool and one without its parts, an explain.json cut short and one of another kind are
     * each left out with one warning line naming the file; an explanation whose image has gone says so on its page; the rest is written.
     */
    @Test
    void aForeignOrUnreadableResultIsOneWarningAndTheRestIsWritten() throws Exception {
        Path foreign = cnn.resolve("foreign/units.json");
        Path partial = cnn.resolve("partial/units.json");
        Path cut = cnn.resolve("cut/explain.json");
        Path otherKind = cnn.resolve("other-kind/explain.json");
        Path gone = tmp.resolve("gone.png");
        Files.copy(redImage, gone);
        CliTest.Run r = CliTest.run(concat(new String[] {"explain", "--model", model.toString(), "--layer", "units",
                "--image", gone.toString(), "--dissection", cnn.toString(), "--classes", classes.toString(),
                "--out", cnn.resolve("explain/gone").toString()}, pre));
        assertThat(r.code()).as(r.err()).isZero();
        Files.delete(gone);
        for (Path p : List.of(foreign, partial, cut, otherKind)) {
            Files.createDirectories(p.getParent());
        }
        Files.writeString(foreign, "{\"tool\": \"someone-else\", \"kind\": \"ablate-units\", \"settings\": {}}");
        Files.writeString(partial, "{\"tool\": \"jdissect\", \"kind\": \"ablate-units\", \"settings\": {}}");
        Files.writeString(cut, read(cnn.resolve("explain/red/explain.json")).substring(0, 200));
        Files.writeString(otherKind, read(cnn.resolve("interventions/units/units.json")));
        try {
            r = CliTest.run("report", cnn.toString(), "-q", "--threads", "1");
            assertThat(r.code()).as(r.err()).isZero();
            List<String> warnings = r.err().lines().filter(l -> l.startsWith("warning: report: ")).toList();
            assertThat(warnings).hasSize(4);
            assertThat(warnings).anySatisfy(l -> assertThat(l).contains(foreign + " left out",
                    "is not a jdissect ablate-units file", "someone-else"));
            assertThat(warnings).anySatisfy(l -> assertThat(l).contains(partial + " left out",
                    "is not a jdissect ablate-units file"));
            assertThat(warnings).anySatisfy(l -> assertThat(l).contains(cut + " left out", "cannot read"));
            assertThat(warnings).anySatisfy(l -> assertThat(l).contains(otherKind + " left out",
                    "is not a jdissect explain file", "kind ablate-units"));
            assertThat(r.err()).doesNotContain("\tat ", "Exception");
            Path site = cnn.resolve("report");
            String index = read(site.resolve("index.html"));
            assertThat(index).contains("href=\"ablation-interventions_curve.html\"",
                    "href=\"ablation-interventions_units.html\"", "href=\"explain-explain_red.html\"",
                    "href=\"explain-explain_gone.html\"").doesNotContain("ablation-foreign", "ablation-partial", "explain-cut",
                    "explain-other-kind");
            String page = read(site.resolve("explain-explain_gone.html"));
            assertThat(page).contains("The image is not at " + gone.toAbsolutePath().normalize() + " any more")
                    .doesNotContain("class=\"gen explained\"");
            checkExplanation(page, JSON.readTree(cnn.resolve("explain/gone/explain.json").toFile()));
        } finally {
            List<Path> files = List.of(foreign, partial, cut, otherKind, cnn.resolve("explain/gone/explain.json"),
                    cnn.resolve("explain/gone/explain.csv"));
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
            for (Path p : files) {
                Files.deleteIfExists(p.getParent());
            }
            assertThat(CliTest.run("report", cnn.toString(), "-q", "--threads", "1").code()).isZero();
        }
    }

    /** The numbers on the page are the JSON's: each class's base rates, and its first ranked units with links. */
    static void checkCurves(String page, JsonNode curve, JsonNode rank) {
        Matcher m = Pattern.compile("<article class=\"curve\" id=\"curve-\\d+\" data-class=\"([^\"]*)\" "
                + "data-base-ba=\"([^\"]*)\" data-base-acc=\"([^\"]*)\">").matcher(page);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(unescape(m.group(1)));
            JsonNode c = null;
            for (JsonNode x : curve.path("curves")) {
                if (x.path("class").asText().equals(unescape(m.group(1)))) {
                    c = x;
                }
            }
            assertThat(c).as(m.group(1)).isNotNull();
            assertThat(Double.parseDouble(m.group(2))).isEqualTo(c.at("/base_balanced_accuracy/value").asDouble());
            assertThat(Double.parseDouble(m.group(3))).isEqualTo(c.at("/base_accuracy/value").asDouble());
        }
        assertThat(seen).containsExactlyInAnyOrder(EVIL, "green", "blue");
        // two series per plot, two plots per class
        assertThat(page.split("data-series=\"top-N ablated\"", -1).length - 1).isEqualTo(6);
        Matcher article = Pattern.compile("<article class=\"rank\" data-class=\"([^\"]*)\">").matcher(page);
        List<String> ranked = new ArrayList<>();
        while (article.find()) {
            String name = unescape(article.group(1));
            ranked.add(name);
            JsonNode first = null;
            for (JsonNode cls : rank.path("classes")) {
                if (cls.path("class").asText().equals(name)) {
                    first = cls.at("/units/0");
                }
            }
            assertThat(first).as(name).isNotNull();
            Matcher li = Pattern.compile("<li data-unit=\"(\\d+)\" data-drop=\"([^\"]*)\"><a href=\"([^\"]*)\"")
                    .matcher(page.substring(article.end()));
            assertThat(li.find()).isTrue();
            assertThat(Integer.parseInt(li.group(1))).isEqualTo(first.path("unit").asInt());
            assertThat(Double.parseDouble(li.group(2))).isEqualTo(first.path("drop").asDouble());
            assertThat(li.group(3)).isEqualTo("layer-units.html#u" + first.path("unit").asInt());
        }
        assertThat(ranked).containsExactlyInAnyOrder(EVIL, "green", "blue");
        // by construction unit 1 decides the first class, unit 2 green, unit 3 blue
        assertThat(rank.at("/classes/0/units/0/unit").asInt()).isEqualTo(1);
    }

    @Test
    void ganDissectWritesAReportWithTopSamplesEditsAndEffects() throws Exception {
        Path site = ganOut.resolve("report");
        String index = read(site.resolve("index.html"));
        JsonNode rj = JSON.readTree(ganOut.resolve("feat/report.json").toFile());
        assertThat(index).contains("GAN dissection", ">" + text(rj.at("/summary/headline").asText()) + "<");
        String layer = read(site.resolve("layer-feat.html"));
        for (int u = 1; u <= 4; u++) {
            assertThat(layer).contains("id=\"u" + u + "\"");
        }
        // the top samples are cut from gan-dissect's strips and drawn as the classifier's images are, the unit's
        // thresholded map over each
        assertThat(layer).contains("src=\"img/feat/m0.png\"").doesNotContain("img/feat/top/");
        checkGeneratorMasks(site, rj);
        assertThat(index).contains("href=\"edit-edits_ablate-units-1-2.html\"", "href=\"effect-effects_red-top2.html\"");
        String edit = read(site.resolve("edit-edits_ablate-units-1-2.html"));
        assertThat(edit).contains("src=\"img/edits/edit-edits_ablate-units-1-2.png\"", "href=\"layer-feat.html#u1\"",
                "href=\"layer-feat.html#u2\"");
        assertThat(site.resolve("img/edits/edit-edits_ablate-units-1-2.png")).isRegularFile();
        String effect = read(site.resolve("effect-effects_red-top2.html"));
        List<String> removal = Files.readAllLines(ganOut.resolve("effects/red-top2/removal.csv"));
        List<String> random = Files.readAllLines(ganOut.resolve("effects/red-top2/removal_random.csv"));
        assertThat(random).hasSameSizeAs(removal);
        for (int i = 1; i < removal.size(); i++) {
            String[] f = removal.get(i).split(",");
            String[] r = random.get(i).split(",");
            Matcher m = Pattern.compile("<tr data-units=\"" + f[0] + "\" data-removed=\"([^\"]*)\" "
                    + "data-random-removed=\"([^\"]*)\">").matcher(effect);
            assertThat(m.find()).as("removal row " + removal.get(i)).isTrue();
            assertThat(Double.parseDouble(m.group(1))).isCloseTo(Double.parseDouble(f[3]),
                    org.assertj.core.api.Assertions.within(1e-6));
            assertThat(r[0]).isEqualTo(f[0]);
            assertThat(Double.parseDouble(m.group(2))).isCloseTo(Double.parseDouble(r[3]),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(effect).contains("as many units chosen at random", "random units [95%]");
        assertThat(effect).contains("Insertion by context", "insertions that succeed");
        for (String figure : List.of("removal", "insertion")) {
            assertThat(site.resolve("figures/effect-effects_red-top2-" + figure + ".svg")).isRegularFile().isNotEmptyFile();
            assertThat(site.resolve("figures/effect-effects_red-top2-" + figure + ".png")).isRegularFile().isNotEmptyFile();
        }
        for (String html : List.of(index, layer, edit, effect)) {
            assertThat(html).doesNotContain("<script>window");
        }
        assertThat(layer + effect).contains("&lt;script&gt;window.jdissectInjected=1&lt;/script&gt;");
    }

    /**
     * Known answer: unit 1 of {@link ColourGan} drives the red channel of its 4 x 4 pixel block at each of its 4 x 4
     * locations, {@code R = (tanh(3 f - 1) + 1) / 2} in 8 bits; so its map {@code f} is read back from each top
     * sample's red channel, upsampled here (half-pixel centres, as NetDissect), thresholded at the unit's threshold,
     * and compared with the mask the card draws over the sample. A sample whose maximum is below the threshold has
     * no mask.
     */
    static void checkGeneratorMasks(Path site, JsonNode rj) throws Exception {
        java.awt.image.BufferedImage sprite = javax.imageio.ImageIO.read(site.resolve("img/feat/m0.png").toFile());
        int cell = 96;
        int scale = cell / 16; // 16 x 16 samples enlarged into 96-pixel thumbnails
        int pitch = cell + org.jdissect.report.UnitImages.GAP;
        Matcher card = Pattern.compile("<article class=\"card[^\"]*\" id=\"u1\".*?</article>", Pattern.DOTALL)
                .matcher(read(site.resolve("layer-feat.html")));
        assertThat(card.find()).isTrue();
        Matcher src = Pattern.compile("<img loading=\"lazy\" src=\"(img/base/[^\"]+)\"").matcher(card.group());
        JsonNode unit = rj.at("/units/0");
        double threshold = unit.path("threshold").asDouble();
        int r = 0;
        int agree = 0;
        int pixels = 0;
        int masked = 0;
        while (src.find()) {
            java.awt.image.BufferedImage thumb = javax.imageio.ImageIO.read(site.resolve(src.group(1)).toFile());
            double[][] f = new double[4][4];
            boolean[][] saturated = new boolean[4][4]; // tanh at 255 says only that f is at least this
            for (int by = 0; by < 4; by++) {
                for (int bx = 0; bx < 4; bx++) {
                    int red = (thumb.getRGB((4 * bx + 2) * scale, (4 * by + 2) * scale) >> 16) & 0xff;
                    saturated[by][bx] = red >= 254;
                    double t = Math.max(-0.999, Math.min(0.999, 2 * (red + 0.5) / 256 - 1));
                    f[by][bx] = Math.max(0, (0.5 * Math.log((1 + t) / (1 - t)) + 1) / 3);
                }
            }
            boolean fires = unit.at("/top_images/" + r + "/max_activation").asDouble() > threshold;
            int inSample = 0;
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    double sy = Math.max(0, Math.min(3, (y + 0.5) / 4 - 0.5));
                    double sx = Math.max(0, Math.min(3, (x + 0.5) / 4 - 0.5));
                    int y0 = (int) sy;
                    int x0 = (int) sx;
                    int y1 = Math.min(3, y0 + 1);
                    int x1 = Math.min(3, x0 + 1);
                    double top = f[y0][x0] + (f[y0][x1] - f[y0][x0]) * (sx - x0);
                    double bottom = f[y1][x0] + (f[y1][x1] - f[y1][x0]) * (sx - x0);
                    boolean expected = top + (bottom - top) * (sy - y0) > threshold;
                    if (!expected && (saturated[y0][x0] || saturated[y0][x1] || saturated[y1][x0]
                            || saturated[y1][x1])) {
                        continue; // a lower bound below the threshold: unknown
                    }
                    int v = sprite.getRaster().getSample(r * pitch + x * scale + scale / 2, y * scale + scale / 2, 0);
                    boolean drawn = v == 0 || v == 2; // inside or its outline; 1 is the dimmed outside
                    inSample += drawn ? 1 : 0;
                    agree += drawn == expected ? 1 : 0;
                    pixels++;
                }
            }
            masked += inSample;
            assertThat(inSample > 0).as("top sample " + (r + 1) + " of unit 1 has a mask").isEqualTo(fires);
            r++;
        }
        assertThat(r).isEqualTo(unit.path("top_images").size()).isPositive();
        assertThat(masked).isPositive().isLessThan(pixels);
        assertThat(pixels).as("pixels whose mask the samples decide").isGreaterThan(r * 256 / 2);
        // the red channel's 8 bits and the cache's half precision may move a pixel at the mask's edge
        assertThat(agree / (double) pixels).as("drawn mask against the one read from the samples").isGreaterThan(0.99);
    }

    @Test
    void reportCommandRewritesBothKindsOfOutput() throws Exception {
        for (Path out : List.of(cnn, ganOut)) {
            CliTest.Run r = CliTest.run("report", out.toString(), "-q", "--threads", "1");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(out.resolve("report/index.html")).isRegularFile();
        }
        assertThat(cnn.resolve("report/ablation-interventions_curve.html")).isRegularFile();
        assertThat(ganOut.resolve("report/effect-effects_red-top2.html")).isRegularFile();
    }

    @Test
    void anEditNeedsAnOutputFolder() {
        CliTest.Run r = CliTest.run("gan-edit", "--generator", tmp.resolve("gen.onnx").toString(), "--layer", "feat",
                "--units", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out", "--dissection");
    }

    @Test
    void chromiumLoadsEveryExperimentPageWithNoBrokenImage() throws Exception {
        Chromium chromium = Chromium.findOrSkip(tmp.resolve("chromium-profile"));
        Path cnnSite = cnn.resolve("report");
        String dom = chromium.dumpDom(cnnSite.resolve("ablation-interventions_curve.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 0, 0);
        checkCurves(dom, JSON.readTree(cnn.resolve("interventions/curve/curve.json").toFile()),
                JSON.readTree(cnn.resolve("interventions/curve/rank.json").toFile()));
        dom = chromium.dumpDom(cnnSite.resolve("ablation-interventions_units.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 0, 0);
        checkUnits(dom, JSON.readTree(cnn.resolve("interventions/units/units.json").toFile()));
        dom = chromium.dumpDom(cnnSite.resolve("explain-explain_red.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 1, 0);
        checkExplanation(dom, JSON.readTree(cnn.resolve("explain/red/explain.json").toFile()));

        Path site = ganOut.resolve("report");
        dom = chromium.dumpDom(site.resolve("layer-feat.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 4 * 5 + 4, 4); // each unit's 5 top samples and its row of the mask sprite
        JsonNode rj = JSON.readTree(ganOut.resolve("feat/report.json").toFile());
        Matcher m = Pattern.compile("data-interpretable=\"(\\d+)\" data-units=\"(\\d+)\" data-concepts=\"(\\d+)\">([^<]*)<")
                .matcher(dom);
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(rj.at("/summary/interpretable").asInt());
        assertThat(unescape(m.group(4))).isEqualTo(rj.at("/summary/headline").asText());
        dom = chromium.dumpDom(site.resolve("edit-edits_ablate-units-1-2.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 1, 0);
        dom = chromium.dumpDom(site.resolve("effect-effects_red-top2.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 0, 0);
        dom = chromium.dumpDom(site.resolve("index.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 0, 0);
        Path target = Path.of("target");
        Files.createDirectories(target);
        chromium.screenshot(cnnSite.resolve("ablation-interventions_curve.html").toUri().toString(),
                target.resolve("report-ablation-screenshot.png"), 1280, 1400);
        chromium.screenshot(cnnSite.resolve("ablation-interventions_units.html").toUri().toString(),
                target.resolve("report-ablation-units-screenshot.png"), 1280, 1500);
        chromium.screenshot(cnnSite.resolve("explain-explain_red.html").toUri().toString(),
                target.resolve("report-explain-screenshot.png"), 1280, 1700);
        chromium.screenshot(site.resolve("effect-effects_red-top2.html").toUri().toString(),
                target.resolve("report-gan-effect-screenshot.png"), 1280, 1000);
    }
}
