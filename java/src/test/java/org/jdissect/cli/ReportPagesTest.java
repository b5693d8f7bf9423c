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
 * The report's experiment pages, end to end through the CLI: a dissection with an ablation curve written under its
 * OUT, and a gan-dissect output with an edit and an effect written where they default to; every page checked for
 * escaping, its numbers against the JSON the experiment wrote, and in headless Chromium for broken images.
 */
class ReportPagesTest {
    static final String EVIL = "<script>window.jdissectInjected=1</script>";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path cnn;
    static Path ganOut;
    static CliTest.Run ablate;

    @BeforeAll
    static void experiments() throws Exception {
        // a classifier whose class "red" is an evil name: dissected, then its curves written into the dissection
        Path model = KnownUnitsFixture.model(tmp.resolve("known.onnx"));
        Path data = KnownUnitsFixture.broden(tmp.resolve("broden"), 16, 3);
        Path labels = data.resolve("label.csv");
        Files.writeString(labels, Files.readString(labels).replace(",red,", "," + EVIL + ","));
        Path classes = Files.writeString(tmp.resolve("classes.csv"), "class,index\n" + EVIL + ",0\ngreen,1\nblue,2\n");
        cnn = tmp.resolve("cnn");
        String[] pre = {"--size", "8", "--mean", "0,0,0", "--std", "1,1,1", "--threads", "1", "-q"};
        CliTest.Run r = CliTest.run(concat(new String[] {"dissect", "--model", model.toString(), "--layer", "units",
                "--data", data.toString(), "--out", cnn.toString(), "--quantile", "0.05"}, pre));
        assertThat(r.code()).as(r.err()).isZero();
        ablate = CliTest.run(concat(new String[] {"ablate", "--model", model.toString(), "--layer", "units", "--data",
                data.toString(), "--classes", classes.toString(), "--out", cnn.resolve("interventions/curve").toString(),
                "--mode", "curve", "--n", "1,2,4"}, pre));
        assertThat(ablate.code()).as(ablate.err()).isZero();

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
            assertThat(layer).contains("id=\"u" + u + "\"", String.format("src=\"img/feat/top/unit_%04d.png\"", u));
            assertThat(site.resolve(String.format("img/feat/top/unit_%04d.png", u))).isRegularFile();
        }
        assertThat(index).contains("href=\"edit-edits_ablate-units-1-2.html\"", "href=\"effect-effects_red-top2.html\"");
        String edit = read(site.resolve("edit-edits_ablate-units-1-2.html"));
        assertThat(edit).contains("src=\"img/edits/edit-edits_ablate-units-1-2.png\"", "href=\"layer-feat.html#u1\"",
                "href=\"layer-feat.html#u2\"");
        assertThat(site.resolve("img/edits/edit-edits_ablate-units-1-2.png")).isRegularFile();
        String effect = read(site.resolve("effect-effects_red-top2.html"));
        List<String> removal = Files.readAllLines(ganOut.resolve("effects/red-top2/removal.csv"));
        for (String row : removal.subList(1, removal.size())) {
            String[] f = row.split(",");
            Matcher m = Pattern.compile("<tr data-units=\"" + f[0] + "\" data-removed=\"([^\"]*)\">").matcher(effect);
            assertThat(m.find()).as("removal row " + row).isTrue();
            assertThat(Double.parseDouble(m.group(1))).isCloseTo(Double.parseDouble(f[3]),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(effect).contains("Insertion by context", "insertions that succeed");
        for (String html : List.of(index, layer, edit, effect)) {
            assertThat(html).doesNotContain("<script>window");
        }
        assertThat(layer + effect).contains("&lt;script&gt;window.jdissectInjected=1&lt;/script&gt;");
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

        Path site = ganOut.resolve("report");
        dom = chromium.dumpDom(site.resolve("layer-feat.html").toUri() + "#selftest");
        Chromium.assertSelftest(dom, 4, 4);
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
        chromium.screenshot(site.resolve("effect-effects_red-top2.html").toUri().toString(),
                target.resolve("report-gan-effect-screenshot.png"), 1280, 1000);
    }
}
