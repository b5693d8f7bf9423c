package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdissect.data.BrodenWriter;
import org.jdissect.intervene.ColourGan;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.report.Chromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page of the report, with hostile names wherever a dataset, a model or a user names something: labels, a
 * category, a layer, image files, classes, segmenter classes and the folders experiments write to, each with
 * {@code <}, {@code "}, {@code '} and {@code &} in it. A page may hold no {@code <script} but the report's own, and no
 * event handler attribute but its own; in Chromium no injected script runs.
 */
class ReportEscapingTest {
    static final String LABEL = "<script>window.jdissectInjected=1</script>\"'&";
    /** A category may not hold quotes, slashes or brackets (Broden's files forbid them). */
    static final String CATEGORY = "scene'&<script src=x onload=window.jdissectInjected=2>";
    static final String LAYER = "units\"'&<script>window.jdissectInjected=3</script><img src=x onerror=\"window.jdissectInjected=4\">";
    /** An image file: Broden's index.csv may not hold quotes in its paths. */
    static final String IMAGE = "im'&<script src=x onload=window.jdissectInjected=5>";
    static final String FOLDER = "curve\"'&<script src=x onload=window.jdissectInjected=6>";
    /** What the report itself writes: one script, one handler. */
    static final String OWN_SCRIPT = "<script src=\"report.js\" defer></script>";
    static final String OWN_HANDLER = "onsubmit=\"return false\"";
    static final Pattern TAG = Pattern.compile("<([A-Za-z][A-Za-z0-9-]*)((?:\\s+[^\\s=>/]+(?:=\"[^\"]*\")?)*)\\s*/?>");
    static final Pattern ATTRIBUTE = Pattern.compile("\\s+([^\\s=>/]+)(?:=\"[^\"]*\")?");

    @TempDir
    static Path tmp;
    static Path cnn;
    static Path gan;

    @BeforeAll
    static void hostileOutputs() throws Exception {
        Path data = dataset(tmp.resolve("broden"));
        Path model = model(tmp.resolve("model.onnx"));
        Path classes = Files.writeString(tmp.resolve("classes.csv"), "class,index\n" + LABEL + ",0\ngreen,1\n"
                + "blue,2\n");
        cnn = tmp.resolve("cnn");
        String[] pre = {"--size", "8", "--mean", "0,0,0", "--std", "1,1,1", "--threads", "1", "-q"};
        CliTest.Run r = CliTest.run(ReportPagesTest.concat(new String[] {"dissect", "--model", model.toString(),
                "--layer", LAYER, "--data", data.toString(), "--out", cnn.toString(), "--quantile", "0.05"}, pre));
        assertThat(r.code()).as(r.err()).isZero();
        r = CliTest.run(ReportPagesTest.concat(new String[] {"ablate", "--model", model.toString(), "--layer", LAYER,
                "--data", data.toString(), "--category", CATEGORY, "--classes", classes.toString(), "--out",
                cnn.resolve("interventions").resolve(FOLDER).toString(), "--mode", "curve", "--n", "1,2"}, pre));
        assertThat(r.code()).as(r.err()).isZero();

        String generator = ColourGan.generator(tmp.resolve("gen.onnx")).toString();
        String segmenter = ColourGan.segmenter(tmp.resolve("seg.onnx")).toString();
        Path segLabels = Files.write(tmp.resolve("labels.txt"), List.of("-,color", "red,color",
                LABEL + ",color", "blue,color"));
        gan = tmp.resolve("gan");
        r = CliTest.run("gan-dissect", "--generator", generator, "--layer", "feat", "--segmenter", segmenter,
                "--seg-labels", segLabels.toString(), "--seg-mean", "0.5,0.5,0.5", "--samples", "24", "--quantile",
                "0.3", "--out", gan.toString(), "--topk", "3", "-q", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        r = CliTest.run("gan-edit", "--generator", generator, "--layer", "feat", "--units", "1,2", "--samples", "2",
                "--dissection", gan.toString(), "--out", gan.resolve("edits").resolve(FOLDER).toString(),
                "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        r = CliTest.run("gan-effect", "--generator", generator, "--layer", "feat", "--segmenter", segmenter,
                "--seg-labels", segLabels.toString(), "--seg-mean", "0.5,0.5,0.5", "--dissection", gan.toString(),
                "--concept", "red", "--top", "2", "--samples", "4", "-q", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
    }

    /** A field of a CSV file: quoted, a quote doubled. */
    static String csv(String field) {
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }

    /** Red, green and blue images; the red label and the image-level category hostile, and some image files too. */
    static Path dataset(Path dir) {
        Random rnd = new Random(7);
        try (BrodenWriter w = BrodenWriter.create(dir, List.of(CATEGORY), BrodenWriter.ImageFormat.PNG)) {
            w.label(1, LABEL).label(2, "green").label(3, "blue");
            for (int k = 0; k < 36; k++) {
                int c = k % 3;
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                int v = 150 + rnd.nextInt(100);
                for (int p = 0; p < 64; p++) {
                    int noise = rnd.nextInt(20);
                    int[] rgb = {noise, noise, noise};
                    rgb[c] = v;
                    img.setRGB(p % 8, p / 8, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                }
                w.addImage((k % 2 == 0 ? IMAGE : "img") + k, k % 4 == 3 ? "val" : "train", img, 8, 8, Map.of(),
                        Map.of(CATEGORY, new int[] {c + 1}));
            }
            w.finish();
        }
        return dir;
    }

    /** Unit 1 detects red, 2 green, 3 blue; the layer has a hostile name. */
    static Path model(Path file) {
        float[] w = {1, -1, -1, -1, 1, -1, -1, -1, 1, 0.3f, 0.3f, 0.3f};
        float[] fc = new float[4 * 4];
        for (int c = 0; c < 3; c++) {
            fc[c * 4 + c] = 1f;
        }
        return OnnxBuilder.imageInput(8, 8).conv("input", "conv", 4, 3, 1, 1, 0, w, new float[4]).relu("conv", LAYER)
                .globalAveragePool(LAYER, "gap").flatten("gap", "flat")
                .gemm("flat", "logits", 4, 4, fc, new float[] {0, 0, 0, 0.1f}).output("logits").save(file);
    }

    static List<Path> pages(Path out) throws Exception {
        try (var files = Files.list(out.resolve("report"))) {
            return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
    }

    @Test
    void noPageHoldsScriptOrHandlersButTheReportsOwn() throws Exception {
        List<Path> all = new ArrayList<>(pages(cnn));
        all.addAll(pages(gan));
        assertThat(all.stream().map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.startsWith("ablation-")).anyMatch(n -> n.startsWith("edit-"))
                .anyMatch(n -> n.startsWith("effect-")).anyMatch(n -> n.startsWith("layer-units"));
        for (Path page : all) {
            String html = Files.readString(page, StandardCharsets.UTF_8);
            String lower = html.toLowerCase(Locale.ROOT);
            assertThat(lower.split("<script", -1)).as(page + ": <script").hasSize(2);
            assertThat(html).as(page.toString()).contains(OWN_SCRIPT);
            Matcher tag = TAG.matcher(html);
            int tags = 0;
            while (tag.find()) {
                tags++;
                Matcher a = ATTRIBUTE.matcher(tag.group(2));
                while (a.find()) {
                    String name = a.group(1).toLowerCase(Locale.ROOT);
                    assertThat(!name.startsWith("on") || a.group().trim().equals(OWN_HANDLER))
                            .as(page + ": attribute " + a.group().trim() + " in " + tag.group()).isTrue();
                    assertThat(name).as(page + ": attribute name in " + tag.group()).matches("[a-z][a-z0-9-]*");
                }
            }
            // every '<' of the page opens a tag the pattern read (a doctype, or a closing tag): none is data
            long opens = html.chars().filter(ch -> ch == '<').count();
            long closing = Pattern.compile("</[a-z][a-z0-9]*>").matcher(html).results().count();
            assertThat(opens).as(page + ": every < is markup").isEqualTo(tags + closing + 1);
        }
    }

    @Test
    void theHostileNamesReachThePagesAsText() throws Exception {
        String layer = Files.readString(pages(cnn).stream().filter(p -> p.getFileName().toString()
                .startsWith("layer-")).findFirst().orElseThrow());
        assertThat(layer).contains("&lt;script&gt;window.jdissectInjected=1&lt;/script&gt;\"'&amp;") // label, text
                .contains("data-label=\"&lt;script>window.jdissectInjected=1&lt;/script>&#34;&#39;&amp;\"")
                .contains("units\"'&amp;&lt;script&gt;window.jdissectInjected=3") // layer name
                .contains("alt=\"im&#39;&amp;&lt;script src=x onload=window.jdissectInjected=5>"); // an image file
        String index = Files.readString(cnn.resolve("report/index.html"));
        assertThat(index).contains("scene'&amp;&lt;script src=x onload=window.jdissectInjected=2&gt;") // category
                .contains("curve\"'&amp;&lt;script src=x onload=window.jdissectInjected=6&gt;"); // ablate's folder
        String edits = Files.readString(gan.resolve("report/index.html"));
        assertThat(edits).contains("curve\"'&amp;&lt;script src=x onload=window.jdissectInjected=6&gt;");
    }

    @Test
    void chromiumRunsNoInjectedScript() throws Exception {
        Optional<Chromium> chromium = Chromium.find(tmp.resolve("chromium-profile"));
        org.junit.jupiter.api.Assumptions.assumeTrue(chromium.isPresent(), "no Chromium");
        for (Path out : List.of(cnn, gan)) {
            for (Path page : pages(out)) {
                String dom = chromium.get().dumpDom(page.toUri() + "#selftest");
                Matcher m = Pattern.compile("<div id=\"selftest\"[^>]* data-injected=\"([a-z]+)\"").matcher(dom);
                assertThat(m.find()).as(page + ": the self-test ran").isTrue();
                assertThat(m.group(1)).as(page + ": an injected script ran").isEqualTo("false");
                assertThat(dom).as(page.toString()).doesNotContain("<img src=\"x\"");
            }
        }
    }
}
